// fp_unpack: the fields and classes of one operand's magnitude (the operand without its
// sign bit) in the format (EW, MW), shared by fp_add and fp_mul. A zero exponent field
// means a subnormal (or zero): its significand has no hidden bit and its effective
// exponent is 1, so subnormals are exact (no flush).
// nan: all-ones exponent, mantissa not zero; inf: all-ones exponent, mantissa zero;
// zero: both fields zero (either sign).
module fp_unpack #(
    parameter integer EW = 8,
    parameter integer MW = 23
) (
    input  wire [EW+MW-1:0] mag,
    output wire             nan,
    output wire             inf,
    output wire             zero,
    output wire [     MW:0] sig,     // hidden bit and mantissa
    output wire [   EW-1:0] exp_eff  // biased exponent, 1 for subnormals
);
  wire [EW-1:0] e = mag[EW+MW-1:MW];
  wire e_zero = (e == {EW{1'b0}});
  wire e_max = (e == {EW{1'b1}});
  wire man_nz = (mag[MW-1:0] != {MW{1'b0}});
  assign nan = e_max && man_nz;
  assign inf = e_max && !man_nz;
  assign zero = e_zero && !man_nz;
  assign sig = {!e_zero, mag[MW-1:0]};
  assign exp_eff = {e[EW-1:1], e[0] | e_zero};  // e, or 1 when e is 0 (no ternary)
endmodule
