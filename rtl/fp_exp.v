// fp_exp: y = exp(x) in the format (EW, MW), every step a real operation of the format.
// Combinational. Method (range reduction, exp(x) = 2^(x log2 e) = 2^n 2^f):
//   1. t = fl(x * LOG2E)                  fp_mul; LOG2E is log2(e) rounded to the format
//   2. n = roundToIntegral(t), ties even  integer part (exact in the format), and its
//                                         value as an integer
//   3. f = fl(t - n)                      fp_add; exact, |f| <= 1/2
//   4. p = 2^f by Horner on the Taylor polynomial sum_k (ln 2)^k / k! f^k of degree DEG
//      (p = c_DEG; p = fl(fl(p * f) + c_k) for k = DEG-1 .. 0: fp_mul, fp_add; no FMA)
//   5. y = p * 2^n                        scaleB: n added to p's exponent, rounded once by
//                                         fp_round (only matters when y is subnormal)
// DEG by mantissa width: MW <= 3: 2, <= 7: 3, <= 10: 4, <= 16: 5, <= 23: 7, else 12
// (the truncation error (1/2 ln 2)^(DEG+1) / (DEG+1)! is below half an ulp of 1).
// The coefficients c_k and LOG2E are 62-bit fixed-point constants (value x 2^62, rounded
// to nearest) rounded to the format by fp_round: constant after synthesis.
// Special values: NaN -> NaN; |t| >= 2^B, where 2^B >= BIAS + MW + 3 (so 2^n overflows
// or underflows for sure), and +-inf -> +inf for positive t, +0 for negative t.
// exp(+-0) = 1 exactly. Model: fp_exp() in models/numerics/exp_model.cpp.
module fp_exp #(
    parameter integer EW = 8,
    parameter integer MW = 23
) (
    input  wire [EW+MW:0] x,
    output wire [EW+MW:0] y
);
  localparam integer W = EW + MW + 1;
  localparam integer BIAS = (1 << (EW - 1)) - 1;
  localparam integer DEG = (MW <= 3) ? 2 : (MW <= 7) ? 3 : (MW <= 10) ? 4 : (MW <= 16) ? 5 :
                           (MW <= 23) ? 7 : 12;
  localparam integer NLIM = BIAS + MW + 3;
  localparam integer B = (NLIM <= 2) ? 1 : (NLIM <= 4) ? 2 : (NLIM <= 8) ? 3 : (NLIM <= 16) ? 4 :
                         (NLIM <= 32) ? 5 : (NLIM <= 64) ? 6 : (NLIM <= 128) ? 7 :
                         (NLIM <= 256) ? 8 : (NLIM <= 512) ? 9 : (NLIM <= 1024) ? 10 : 11;
  // (ln 2)^k / k! x 2^62, k = 12 .. 0 (MSB first), and log2(e) x 2^62.
  localparam [13*64-1:0] COEF = {
    64'h00000000070ef594, 64'h000000007a32b1cd, 64'h00000007933d4563, 64'h0000006d494f4e58,
    64'h0000058b0088e972, 64'h00003ff97f8b1162, 64'h0002861225f0d8f1, 64'h0015d87fe78a6731,
    64'h009d955b7dd273b9, 64'h038d611ae09417f1, 64'h0f5fdeffc162c754, 64'h2c5c85fdf473de6b,
    64'h4000000000000000};
  localparam [63:0] LOG2E_FIX = 64'h5c551d94ae0bf85e;

  // 1. t = x * log2(e)
  wire [W-1:0] log2e;
  fp_round #(.EW(EW), .MW(MW), .SW(64)) u_log2e (
      .sign(1'b0), .sig(LOG2E_FIX), .exp_lsb(-32'sd62), .res(log2e));
  wire [W-1:0] t;
  fp_mul #(.EW(EW), .MW(MW)) u_t (.clk(1'b0), .en(1'b0), .a(x), .b(log2e), .y(t));

  // 2. n = roundToIntegral(t), ties to even, for |t| < 2^B.
  wire [EW-1:0] et = t[EW+MW-1:MW];
  wire t_sign = t[EW+MW];
  wire t_max_e = (et == {EW{1'b1}});
  wire t_nan = t_max_e && (t[MW-1:0] != {MW{1'b0}});
  wire t_big = t_max_e || ({{(32 - EW) {1'b0}}, et} >= BIAS + B);
  wire [63:0] t_sig = {{(63 - MW) {1'b0}}, 1'b1, t[MW-1:0]};
  integer e_unb, sh;
  reg [63:0] ip, rem, half;
  reg [31:0] n_mag;
  always @* begin
    e_unb = $signed({{(32 - EW) {1'b0}}, et}) - BIAS;
    sh = MW - e_unb;
    ip = 64'd0;
    rem = 64'd0;
    half = 64'd0;
    if (et == {EW{1'b0}} || e_unb < -1 || t_big) begin
      ip = 64'd0;  // |t| < 1/2 (or out of range, handled below)
    end else if (e_unb >= MW) begin
      ip = t_sig << (e_unb - MW);  // t is an integer already
    end else begin
      ip = t_sig >> sh;
      rem = t_sig & ~({64{1'b1}} << sh);
      half = 64'd1 << (sh - 1);
      if (rem > half || (rem == half && ip[0])) ip = ip + 64'd1;
    end
    n_mag = ip[31:0];
  end
  wire [W-1:0] n_fp;  // exact: n is representable (argued in docs/numerics.md)
  fp_round #(.EW(EW), .MW(MW), .SW(32)) u_nfp (
      .sign(t_sign), .sig(n_mag), .exp_lsb(32'sd0), .res(n_fp));
  wire signed [31:0] n = t_sign ? -$signed(n_mag) : $signed(n_mag);

  // 3. f = t - n
  wire [W-1:0] f;
  fp_add #(.EW(EW), .MW(MW)) u_f (
      .clk(1'b0), .en(1'b0), .a(t), .b(n_fp ^ {1'b1, {(W - 1) {1'b0}}}), .y(f));

  // 4. p = 2^f by Horner.
  wire [(DEG+1)*W-1:0] c;
  wire [(DEG+1)*W-1:0] p  /*verilator split_var*/;
  genvar k;
  generate
    for (k = 0; k <= DEG; k = k + 1) begin : g_coef
      fp_round #(.EW(EW), .MW(MW), .SW(64)) u_c (
          .sign(1'b0), .sig(COEF[k*64+:64]), .exp_lsb(-32'sd62), .res(c[k*W+:W]));
    end
    assign p[DEG*W+:W] = c[DEG*W+:W];
    for (k = 0; k < DEG; k = k + 1) begin : g_horner
      wire [W-1:0] pf;
      fp_mul #(.EW(EW), .MW(MW)) u_m (.clk(1'b0), .en(1'b0), .a(p[(k+1)*W+:W]), .b(f), .y(pf));
      fp_add #(.EW(EW), .MW(MW)) u_a (.clk(1'b0), .en(1'b0), .a(pf), .b(c[k*W+:W]), .y(p[k*W+:W]));
    end
  endgenerate

  // 5. y = p * 2^n (p is positive and normal: 2^f lies in [0.7, 1.5)).
  wire [EW-1:0] ep = p[EW+MW-1:MW];
  wire signed [31:0] p_lsb = ((ep == {EW{1'b0}}) ? 32'sd1 : $signed({{(32 - EW) {1'b0}}, ep})) -
                             (BIAS + MW) + n;
  wire [W-1:0] scaled;
  fp_round #(.EW(EW), .MW(MW), .SW(MW + 1)) u_scale (
      .sign(1'b0), .sig({(ep != {EW{1'b0}}), p[MW-1:0]}), .exp_lsb(p_lsb), .res(scaled));

  assign y = t_nan ? {1'b0, {EW{1'b1}}, 1'b1, {(MW - 1) {1'b0}}} :
             t_big ? (t_sign ? {W{1'b0}} : {1'b0, {EW{1'b1}}, {MW{1'b0}}}) : scaled;
  wire unused_ok = &{1'b0, ip[63:32], p[EW+MW]};
endmodule
