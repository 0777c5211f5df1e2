// fp_div: y = a / b in the format (EW, MW), correctly rounded (round to nearest even).
// Combinational. The significands are divided as integers: q = floor(sa * 2^K / sb) with
// K = 2 MW + 3, which leaves q at least MW + 3 significant bits even for a subnormal
// dividend, and a sticky bit (remainder != 0) below q; fp_round then rounds once.
// Special values (IEEE 754): NaN operand, 0 / 0 and inf / inf -> canonical NaN;
// inf / finite -> signed inf; finite / inf -> signed zero; nonzero / 0 -> signed inf;
// 0 / nonzero -> signed zero. Model: fp_div() in models/numerics/fp_ops.cpp.
module fp_div #(
    parameter integer EW = 8,
    parameter integer MW = 23
) (
    input  wire [EW+MW:0] a,
    input  wire [EW+MW:0] b,
    output wire [EW+MW:0] y
);
  localparam integer W = EW + MW + 1;
  localparam integer K = 2 * MW + 3;
  localparam integer NW = MW + 1 + K;  // width of the shifted dividend and the quotient

  wire [EW-1:0] ea = a[EW+MW-1:MW];
  wire [EW-1:0] eb = b[EW+MW-1:MW];
  wire a_sub = (ea == {EW{1'b0}});
  wire b_sub = (eb == {EW{1'b0}});
  wire a_max_e = (ea == {EW{1'b1}});
  wire b_max_e = (eb == {EW{1'b1}});
  wire a_man_nz = (a[MW-1:0] != {MW{1'b0}});
  wire b_man_nz = (b[MW-1:0] != {MW{1'b0}});
  wire a_nan = a_max_e && a_man_nz;
  wire b_nan = b_max_e && b_man_nz;
  wire a_inf = a_max_e && !a_man_nz;
  wire b_inf = b_max_e && !b_man_nz;
  wire a_zero = a_sub && !a_man_nz;
  wire b_zero = b_sub && !b_man_nz;
  wire sign = a[EW+MW] ^ b[EW+MW];

  wire [NW-1:0] num = {{K{1'b0}}, !a_sub, a[MW-1:0]} << K;
  // A zero divisor is a special case below; divide by 1 then so the divider sees no 0.
  wire [NW-1:0] den = b_zero ? {{(NW - 1) {1'b0}}, 1'b1} : {{K{1'b0}}, !b_sub, b[MW-1:0]};
  wire [NW-1:0] q = num / den;
  wire [NW-1:0] r = num % den;
  wire signed [31:0] ea_eff = a_sub ? 32'sd1 : $signed({{(32 - EW) {1'b0}}, ea});
  wire signed [31:0] eb_eff = b_sub ? 32'sd1 : $signed({{(32 - EW) {1'b0}}, eb});
  wire signed [31:0] exp_lsb = ea_eff - eb_eff - (K + 1);

  wire [W-1:0] rounded;
  fp_round #(.EW(EW), .MW(MW), .SW(NW + 1)) u_round (
      .sign(sign), .sig({q, (r != {NW{1'b0}})}), .exp_lsb(exp_lsb), .res(rounded));

  wire [W-1:0] nan_v = {1'b0, {EW{1'b1}}, 1'b1, {(MW - 1) {1'b0}}};
  wire [W-1:0] inf_v = {sign, {EW{1'b1}}, {MW{1'b0}}};
  wire [W-1:0] zero_v = {sign, {(EW + MW) {1'b0}}};
  assign y = (a_nan || b_nan || (a_zero && b_zero) || (a_inf && b_inf)) ? nan_v :
             (a_inf || b_zero) ? inf_v :
             (a_zero || b_inf) ? zero_v : rounded;
endmodule
