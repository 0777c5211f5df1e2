// fp_convert: y = a converted from the format (IEW, IMW) to (OEW, OMW), round to nearest
// even (one rounding by fp_round: narrowing rounds, widening is exact). Combinational.
// NaN -> the output format's canonical NaN; +-inf -> +-inf; overflow -> +-inf; values
// below the output's subnormal range round to (signed) zero; signed zeros keep their sign.
// Model: fp_convert() in models/numerics/fp_ops.cpp.
module fp_convert #(
    parameter integer IEW = 8,
    parameter integer IMW = 23,
    parameter integer OEW = 5,
    parameter integer OMW = 10
) (
    input  wire [IEW+IMW:0] a,
    output wire [OEW+OMW:0] y
);
  localparam integer IBIAS = (1 << (IEW - 1)) - 1;

  wire [IEW-1:0] ea = a[IEW+IMW-1:IMW];
  wire a_sub = (ea == {IEW{1'b0}});
  wire a_max_e = (ea == {IEW{1'b1}});
  wire a_man_nz = (a[IMW-1:0] != {IMW{1'b0}});
  wire [IMW:0] sig = {!a_sub, a[IMW-1:0]};
  wire signed [31:0] exp_lsb = (a_sub ? 32'sd1 : $signed({{(32 - IEW) {1'b0}}, ea})) - (IBIAS + IMW);

  wire [OEW+OMW:0] rounded;
  fp_round #(.EW(OEW), .MW(OMW), .SW(IMW + 1)) u_round (
      .sign(a[IEW+IMW]), .sig(sig), .exp_lsb(exp_lsb), .res(rounded));

  assign y = (a_max_e && a_man_nz) ? {1'b0, {OEW{1'b1}}, 1'b1, {(OMW - 1) {1'b0}}} :
             a_max_e ? {a[IEW+IMW], {OEW{1'b1}}, {OMW{1'b0}}} : rounded;
endmodule
