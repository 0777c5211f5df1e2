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

  wire [EW-1:0] ea = a[EW+MW-1:MW];
  wire [EW-1:0] eb = b[EW+MW-1:MW];
  wire a_zero_e = (ea == {EW{1'b0}});
  wire b_zero_e = (eb == {EW{1'b0}});
  wire a_max_e = (ea == {EW{1'b1}});
  wire b_max_e = (eb == {EW{1'b1}});
  wire a_man_nz = (a[MW-1:0] != {MW{1'b0}});
  wire b_man_nz = (b[MW-1:0] != {MW{1'b0}});
  wire a_nan = a_max_e && a_man_nz;
  wire b_nan = b_max_e && b_man_nz;
  wire a_inf = a_max_e && !a_man_nz;
  wire b_inf = b_max_e && !b_man_nz;
  wire a_zero = a_zero_e && !a_man_nz;
  wire b_zero = b_zero_e && !b_man_nz;
  wire sign = a[EW+MW] ^ b[EW+MW];

  wire [MW:0] sa = {!a_zero_e, a[MW-1:0]};
  wire [MW:0] sb = {!b_zero_e, b[MW-1:0]};
  wire [PW-1:0] product = {{(MW + 1) {1'b0}}, sa} * {{(MW + 1) {1'b0}}, sb};
  wire signed [31:0] ea_eff = a_zero_e ? 32'sd1 : $signed({{(32 - EW) {1'b0}}, ea});
  wire signed [31:0] eb_eff = b_zero_e ? 32'sd1 : $signed({{(32 - EW) {1'b0}}, eb});
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

  wire [W-1:0] nan_v = {1'b0, {EW{1'b1}}, 1'b1, {(MW - 1) {1'b0}}};
  wire [W-1:0] inf_v = {sign, {EW{1'b1}}, {MW{1'b0}}};
  wire [W-1:0] comb = (a_nan || b_nan || ((a_inf || b_inf) && (a_zero || b_zero))) ? nan_v :
                      (a_inf || b_inf) ? inf_v : rounded;

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
