// fp_add: y = a + b in the format (EW, MW), round to nearest even, after LATENCY cycles
// (stages advance when en is high). Subtraction is fp_add with b's sign bit flipped.
// Special values: NaN operand or inf + -inf -> canonical NaN; inf + finite -> that inf;
// exact cancellation x + (-x) -> +0; -0 + -0 -> -0; subnormals exact (no flush).
// Datapath: order the operands by magnitude (bit-pattern compare), align the smaller
// significand with three extra bits (guard, round, sticky; shifts past MW + 4 leave only
// the sticky bit), add or subtract, round once with fp_round. Special values are decided
// from x's and z's magnitudes alone (see below), and a zero sum needs no case of its own.
// Model: fp_add() in models/numerics/fp_arith.cpp.
module fp_add #(
    parameter integer EW = 8,
    parameter integer MW = 23,
    parameter integer LATENCY = 0
) (
    input  wire           clk,
    input  wire           en,
    input  wire [EW+MW:0] a,
    input  wire [EW+MW:0] b,
    output wire [EW+MW:0] y
);
  localparam integer W = EW + MW + 1;
  localparam integer BIAS = (1 << (EW - 1)) - 1;
  localparam integer FW = MW + 4;  // hidden bit, mantissa, guard, round, sticky

  wire swap = b[EW+MW-1:0] > a[EW+MW-1:0];
  // x: the larger magnitude. A mask mux, and z from x by XOR: Verilator turns a pair of
  // ternaries on one condition into an if/else, a branch that random data mispredicts.
  wire [W-1:0] swap_mask = {W{swap}};
  wire [W-1:0] x = (b & swap_mask) | (a & ~swap_mask);
  wire [W-1:0] z = a ^ b ^ x;

  wire x_nan, x_inf, x_zero, z_nan, z_inf, z_zero;
  wire [MW:0] x_sig, z_sig;
  wire [EW-1:0] ex_eff, ez_eff;
  fp_unpack #(
      .EW(EW),
      .MW(MW)
  ) u_unpack_x (
      .mag(x[EW+MW-1:0]),
      .nan(x_nan),
      .inf(x_inf),
      .zero(x_zero),
      .sig(x_sig),
      .exp_eff(ex_eff)
  );
  fp_unpack #(
      .EW(EW),
      .MW(MW)
  ) u_unpack_z (
      .mag(z[EW+MW-1:0]),
      .nan(z_nan),
      .inf(z_inf),
      .zero(z_zero),
      .sig(z_sig),
      .exp_eff(ez_eff)
  );
  wire subtract = x[EW+MW] ^ z[EW+MW];
  wire [FW-1:0] x_frame = {x_sig, 3'b000};
  wire [FW-1:0] z_frame = {z_sig, 3'b000};
  wire [EW-1:0] d = ex_eff - ez_eff;  // >= 0: x has the larger magnitude

  // aligned = z_frame >> d with the bits shifted out ORed into the LSB (sticky). From
  // d = FW on only the sticky bit is left, so g_align_frame clamps d there.
  wire [FW-1:0] aligned;
  generate
    if (FW + (1 << EW) - 1 < 64) begin : g_align_wide
      // {z_frame, DMAX zeros} >> d with DMAX the largest EW-bit d: no bit falls out, so
      // no clamp; the frame is a machine word and d is EW bits wide, so the Verilated
      // shift needs no mask and no out-of-range check. The top FW bits are the shifted
      // frame, the rest the sticky bits.
      localparam integer DMAX = (1 << EW) - 1;
      localparam integer AW = (FW + DMAX < 32) ? 32 : 64;
      wire [AW-1:0] wide = {{(AW - FW - DMAX) {1'b0}}, z_frame, {DMAX{1'b0}}} >> d;
      assign aligned = wide[DMAX+FW-1:DMAX] |
                       {{(FW - 1) {1'b0}}, (wide[DMAX-1:0] != {DMAX{1'b0}})};
      wire unused_ok = &{1'b0, wide[AW-1:DMAX+FW]};
    end else if (2 * FW <= 64) begin : g_align_frame
      // One shift of {z_frame, FW zeros}: the upper half is the shifted frame, the lower
      // half catches what fell out (fixed positions, no mask: cheap when Verilated).
      wire [31:0] d32 = {{(32 - EW) {1'b0}}, d};
      wire [31:0] dc = (d32 > FW) ? FW : d32;
      wire [2*FW-1:0] wide = {z_frame, {FW{1'b0}}} >> dc;
      assign aligned = wide[2*FW-1:FW] | {{(FW - 1) {1'b0}}, (wide[FW-1:0] != {FW{1'b0}})};
    end else begin : g_align_mask
      reg [FW-1:0] aligned_r;
      always @* begin
        if ({{(32 - EW) {1'b0}}, d} > FW) begin
          aligned_r = {{(FW - 1) {1'b0}}, (z_frame != {FW{1'b0}})};
        end else begin
          aligned_r = (z_frame >> d) |
                  {{(FW - 1) {1'b0}}, ((z_frame & ~({FW{1'b1}} << d)) != {FW{1'b0}})};
        end
      end
      assign aligned = aligned_r;
    end
  endgenerate

  wire [FW:0] sum = subtract ? ({1'b0, x_frame} - {1'b0, aligned}) : ({1'b0, x_frame} + {1'b0, aligned});
  wire signed [31:0] exp_lsb = $signed({{(32 - EW) {1'b0}}, ex_eff}) - (BIAS + MW + 3);

  wire [W-1:0] rounded;
  fp_round #(
      .EW(EW),
      .MW(MW),
      .SW(FW + 1)
  ) u_round (
      .sign(x[EW+MW] & (z[EW+MW] | (sum != {(FW + 1) {1'b0}}))),
      .sig(sum),
      .exp_lsb(exp_lsb),
      .res(rounded)
  );

  // Special values from magnitudes alone: x has the larger magnitude, and NaN patterns
  // are the largest, so z NaN implies x NaN and z inf implies x inf or NaN. Zeros need no
  // case: a zero sum rounds to a signed zero, +0 unless both operands are -0 (exact
  // cancellation has opposite signs).
  localparam [EW+MW-1:0] INF_MAG = {{EW{1'b1}}, {MW{1'b0}}};
  wire [W-1:0] nan_v = {1'b0, {EW{1'b1}}, 1'b1, {(MW - 1) {1'b0}}};
  wire x_special = x[EW+MW-1:0] >= INF_MAG;
  wire special_nan = (x[EW+MW-1:0] != INF_MAG) || ((z[EW+MW-1:0] == INF_MAG) && subtract);
  wire [W-1:0] comb = x_special ? (special_nan ? nan_v : x) : rounded;
  wire unused_ok = &{1'b0, x_nan, x_inf, x_zero, z_nan, z_inf, z_zero};

  fp_pipe #(
      .W(W),
      .DEPTH(LATENCY)
  ) u_pipe (
      .clk(clk),
      .en(en),
      .d(comb),
      .q(y)
  );
endmodule
