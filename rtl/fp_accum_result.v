// fp_accum_result: the accumulated sum rounded to the format, from an fp_accum_step
// state. naive, Kahan: s. Neumaier, TwoSum, Fast2Sum: s + c. Klein: s + (cs + ccs).
// Kulisch: NaN if a NaN or both infinities were added, else the signed infinity seen,
// else the register rounded once by fp_round (an exact zero gives +0).
// Model: Accumulator::result() in models/numerics/accumulator.cpp.
module fp_accum_result #(
    parameter integer EW = 8,
    parameter integer MW = 23,
    parameter integer METHOD = 0,
    parameter integer STATE_W = 4 * (EW + MW + 1) + 3 + ((METHOD == 6) ? ((1 << EW) - 2 + MW + 17) : 1)
) (
    input  wire [STATE_W-1:0] state,
    output wire [  EW+MW:0]   result
);
  localparam integer W = EW + MW + 1;
  localparam integer KW = STATE_W - 4 * W - 3;
  localparam integer BIAS = (1 << (EW - 1)) - 1;

  generate
    if (METHOD == 0 || METHOD == 1) begin : g_s
      assign result = state[W-1:0];
      wire unused_ok = &{1'b0, state[STATE_W-1:W]};
    end else if (METHOD == 5) begin : g_klein
      wire [W-1:0] inner;
      fp_add #(.EW(EW), .MW(MW)) a0 (.clk(1'b0), .en(1'b0), .a(state[3*W-1:2*W]), .b(state[4*W-1:3*W]), .y(inner));
      fp_add #(.EW(EW), .MW(MW)) a1 (.clk(1'b0), .en(1'b0), .a(state[W-1:0]), .b(inner), .y(result));
      wire unused_ok = &{1'b0, state[STATE_W-1:4*W], state[2*W-1:W]};
    end else if (METHOD == 6) begin : g_kulisch
      wire [KW-1:0] kul = state[STATE_W-1:4*W+3];
      wire nan_f = state[4*W+2];
      wire pinf = state[4*W+1];
      wire ninf = state[4*W];
      wire neg = kul[KW-1];
      wire [KW-1:0] mag = neg ? (~kul + {{(KW - 1) {1'b0}}, 1'b1}) : kul;
      wire [W-1:0] rounded;
      fp_round #(.EW(EW), .MW(MW), .SW(KW)) u_round (
          .sign(neg), .sig(mag), .exp_lsb(1 - BIAS - MW), .res(rounded));
      assign result = (nan_f || (pinf && ninf)) ? {1'b0, {EW{1'b1}}, 1'b1, {(MW - 1) {1'b0}}} :
                      (pinf || ninf) ? {ninf, {EW{1'b1}}, {MW{1'b0}}} : rounded;
      wire unused_ok = &{1'b0, state[4*W-1:0]};
    end else begin : g_sc
      fp_add #(.EW(EW), .MW(MW)) a0 (.clk(1'b0), .en(1'b0), .a(state[W-1:0]), .b(state[2*W-1:W]), .y(result));
      wire unused_ok = &{1'b0, state[STATE_W-1:2*W]};
    end
  endgenerate
endmodule
