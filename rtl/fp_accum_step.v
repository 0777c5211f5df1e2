// fp_accum_step: one step of the accumulation method METHOD (codes in fp_accum_pkg.vh):
// state_out = step(state_in, x). Combinational; every step of every compensated method is
// a real fp_add of the format (subtraction flips the sign bit of the subtrahend), so the
// unit costs what a true compensated accumulator costs. Model: Accumulator::add() in
// models/numerics/accumulator.cpp.
//   naive     s' = s + x                                              1 adder
//   Kahan     y = x - c; t = s + y; c' = (t - s) - y; s' = t          4 adders
//   Neumaier  t = s + x; e = (|s|>=|x|) ? (s - t) + x : (x - t) + s;
//             c' = c + e; s' = t                                      4 adders
//   TwoSum    t = s + x; bp = t - s; ap = t - bp;
//             e = (s - ap) + (x - bp); c' = c + e; s' = t             7 adders
//   Fast2Sum  t = s + x; c' = c + (x - (t - s)); s' = t               4 adders
//   Klein     Neumaier step on (s, x) giving c1, then on (cs, c1) giving cc;
//             ccs' = ccs + cc                                         7 adders
//   Kulisch   exact: the significand shifted to its weight is added to (or subtracted
//             from) a KW-bit two's complement fixed-point register; NaN/inf set flags.
module fp_accum_step #(
    parameter integer EW = 8,
    parameter integer MW = 23,
    parameter integer METHOD = 0,
    parameter integer STATE_W = 4 * (EW + MW + 1) + 3 + ((METHOD == 6) ? ((1 << EW) - 2 + MW + 17) : 1)
) (
    input  wire [STATE_W-1:0] state_in,
    input  wire [  EW+MW:0]   x,
    output wire [STATE_W-1:0] state_out
);
  localparam integer W = EW + MW + 1;
  localparam integer KW = STATE_W - 4 * W - 3;
  localparam [W-1:0] SIGN = {1'b1, {(W - 1) {1'b0}}};

  wire [W-1:0] s = state_in[W-1:0];
  wire [W-1:0] c = state_in[2*W-1:W];
  wire [W-1:0] cs = state_in[3*W-1:2*W];
  wire [W-1:0] ccs = state_in[4*W-1:3*W];
  wire [2:0] flags = state_in[4*W+2:4*W];
  wire [KW-1:0] kul = state_in[STATE_W-1:4*W+3];

  generate
    if (METHOD == 0) begin : g_naive
      wire [W-1:0] t;
      fp_add #(.EW(EW), .MW(MW)) a0 (.clk(1'b0), .en(1'b0), .a(s), .b(x), .y(t));
      assign state_out = {kul, flags, ccs, cs, c, t};
    end else if (METHOD == 1) begin : g_kahan
      wire [W-1:0] y, t, u, c2;
      fp_add #(.EW(EW), .MW(MW)) a0 (.clk(1'b0), .en(1'b0), .a(x), .b(c ^ SIGN), .y(y));
      fp_add #(.EW(EW), .MW(MW)) a1 (.clk(1'b0), .en(1'b0), .a(s), .b(y), .y(t));
      fp_add #(.EW(EW), .MW(MW)) a2 (.clk(1'b0), .en(1'b0), .a(t), .b(s ^ SIGN), .y(u));
      fp_add #(.EW(EW), .MW(MW)) a3 (.clk(1'b0), .en(1'b0), .a(u), .b(y ^ SIGN), .y(c2));
      assign state_out = {kul, flags, ccs, cs, c2, t};
    end else if (METHOD == 2) begin : g_neumaier
      wire [W-1:0] t, e, c2;
      fp_add #(.EW(EW), .MW(MW)) a0 (.clk(1'b0), .en(1'b0), .a(s), .b(x), .y(t));
      fp_ordered_error #(.EW(EW), .MW(MW)) oe (.a(s), .b(x), .t(t), .e(e));
      fp_add #(.EW(EW), .MW(MW)) a1 (.clk(1'b0), .en(1'b0), .a(c), .b(e), .y(c2));
      assign state_out = {kul, flags, ccs, cs, c2, t};
    end else if (METHOD == 3) begin : g_twosum
      wire [W-1:0] t, bp, ap, da, db, e, c2;
      fp_add #(.EW(EW), .MW(MW)) a0 (.clk(1'b0), .en(1'b0), .a(s), .b(x), .y(t));
      fp_add #(.EW(EW), .MW(MW)) a1 (.clk(1'b0), .en(1'b0), .a(t), .b(s ^ SIGN), .y(bp));
      fp_add #(.EW(EW), .MW(MW)) a2 (.clk(1'b0), .en(1'b0), .a(t), .b(bp ^ SIGN), .y(ap));
      fp_add #(.EW(EW), .MW(MW)) a3 (.clk(1'b0), .en(1'b0), .a(s), .b(ap ^ SIGN), .y(da));
      fp_add #(.EW(EW), .MW(MW)) a4 (.clk(1'b0), .en(1'b0), .a(x), .b(bp ^ SIGN), .y(db));
      fp_add #(.EW(EW), .MW(MW)) a5 (.clk(1'b0), .en(1'b0), .a(da), .b(db), .y(e));
      fp_add #(.EW(EW), .MW(MW)) a6 (.clk(1'b0), .en(1'b0), .a(c), .b(e), .y(c2));
      assign state_out = {kul, flags, ccs, cs, c2, t};
    end else if (METHOD == 4) begin : g_fast2sum
      wire [W-1:0] t, u, e, c2;
      fp_add #(.EW(EW), .MW(MW)) a0 (.clk(1'b0), .en(1'b0), .a(s), .b(x), .y(t));
      fp_add #(.EW(EW), .MW(MW)) a1 (.clk(1'b0), .en(1'b0), .a(t), .b(s ^ SIGN), .y(u));
      fp_add #(.EW(EW), .MW(MW)) a2 (.clk(1'b0), .en(1'b0), .a(x), .b(u ^ SIGN), .y(e));
      fp_add #(.EW(EW), .MW(MW)) a3 (.clk(1'b0), .en(1'b0), .a(c), .b(e), .y(c2));
      assign state_out = {kul, flags, ccs, cs, c2, t};
    end else if (METHOD == 5) begin : g_klein
      wire [W-1:0] t, c1, t2, cc, ccs2;
      fp_add #(.EW(EW), .MW(MW)) a0 (.clk(1'b0), .en(1'b0), .a(s), .b(x), .y(t));
      fp_ordered_error #(.EW(EW), .MW(MW)) oe0 (.a(s), .b(x), .t(t), .e(c1));
      fp_add #(.EW(EW), .MW(MW)) a1 (.clk(1'b0), .en(1'b0), .a(cs), .b(c1), .y(t2));
      fp_ordered_error #(.EW(EW), .MW(MW)) oe1 (.a(cs), .b(c1), .t(t2), .e(cc));
      fp_add #(.EW(EW), .MW(MW)) a2 (.clk(1'b0), .en(1'b0), .a(ccs), .b(cc), .y(ccs2));
      assign state_out = {kul, flags, ccs2, t2, c, t};
    end else begin : g_kulisch
      wire [EW-1:0] ex = x[EW+MW-1:MW];
      wire x_max_e = (ex == {EW{1'b1}});
      wire x_man_nz = (x[MW-1:0] != {MW{1'b0}});
      wire x_sub = (ex == {EW{1'b0}});
      wire [2:0] flags2 = flags | {x_max_e && x_man_nz,
                                   x_max_e && !x_man_nz && !x[EW+MW],
                                   x_max_e && !x_man_nz && x[EW+MW]};
      // x = sig * 2^(e_eff - bias - MW); the register LSB weighs 2^(1 - bias - MW).
      wire [EW-1:0] shift = x_sub ? {EW{1'b0}} : ex - {{(EW - 1) {1'b0}}, 1'b1};
      wire [KW-1:0] term = {{(KW - MW - 1) {1'b0}}, !x_sub, x[MW-1:0]} << shift;
      wire [KW-1:0] kul2 = x_max_e ? kul : (x[EW+MW] ? kul - term : kul + term);
      assign state_out = {kul2, flags2, ccs, cs, c, s};
    end
  endgenerate
endmodule
