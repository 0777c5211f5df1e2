// fp_mul: y = a * b in the format (EW, MW), round to nearest even, after LATENCY cycles
// (stages advance when en is high). Special values: NaN operand -> canonical NaN
// (0, all-ones exponent, mantissa MSB set); inf * 0 -> NaN; inf * finite -> signed inf;
// subnormal operands and results are exact IEEE 754 behaviour (no flush to zero).
// The exact product of the two (MW+1)-bit significands is rounded once by fp_round.
// Model: fp_mul() in models/numerics/fp_arith.cpp.
module fp_mul #(
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
  localparam integer PW = 2 * MW + 2;

  wire a_nan, a_inf, a_zero, b_nan, b_inf, b_zero;
  wire [MW:0] sa, sb;
  wire [EW-1:0] ea_e, eb_e;
  fp_unpack #(
      .EW(EW),
      .MW(MW)
  ) u_unpack_a (
      .mag(a[EW+MW-1:0]),
      .nan(a_nan),
      .inf(a_inf),
      .zero(a_zero),
      .sig(sa),
      .exp_eff(ea_e)
  );
  fp_unpack #(
      .EW(EW),
      .MW(MW)
  ) u_unpack_b (
      .mag(b[EW+MW-1:0]),
      .nan(b_nan),
      .inf(b_inf),
      .zero(b_zero),
      .sig(sb),
      .exp_eff(eb_e)
  );
  wire sign = a[EW+MW] ^ b[EW+MW];

  wire [PW-1:0] product = {{(MW + 1) {1'b0}}, sa} * {{(MW + 1) {1'b0}}, sb};
  wire signed [31:0] ea_eff = $signed({{(32 - EW) {1'b0}}, ea_e});
  wire signed [31:0] eb_eff = $signed({{(32 - EW) {1'b0}}, eb_e});
  wire signed [31:0] exp_lsb = ea_eff + eb_eff - 2 * (BIAS + MW);

  wire [W-1:0] rounded;
  fp_round #(
      .EW(EW),
      .MW(MW),
      .SW(PW)
  ) u_round (
      .sign(sign),
      .sig(product),
      .exp_lsb(exp_lsb),
      .res(rounded)
  );

  // Special values from magnitudes: one operand inf or NaN; then NaN if either is NaN or
  // either is zero (inf x 0), else the signed inf.
  localparam [EW+MW-1:0] INF_MAG = {{EW{1'b1}}, {MW{1'b0}}};
  wire [EW+MW-1:0] a_mag = a[EW+MW-1:0];
  wire [EW+MW-1:0] b_mag = b[EW+MW-1:0];
  wire [W-1:0] nan_v = {1'b0, {EW{1'b1}}, 1'b1, {(MW - 1) {1'b0}}};
  wire [W-1:0] inf_v = {sign, {EW{1'b1}}, {MW{1'b0}}};
  wire special = (a_mag >= INF_MAG) || (b_mag >= INF_MAG);
  wire special_nan = (a_mag > INF_MAG) || (b_mag > INF_MAG) || (a_mag == {(EW + MW) {1'b0}}) ||
                     (b_mag == {(EW + MW) {1'b0}});
  wire [W-1:0] comb = special ? (special_nan ? nan_v : inf_v) : rounded;
  wire unused_ok = &{1'b0, a_nan, a_inf, a_zero, b_nan, b_inf, b_zero};

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
