// fp_greater: gt = (a > b) as numbers in the format (EW, MW): false when either is NaN,
// and +0 == -0. Sign-magnitude compare of the bit patterns. Combinational.
// Model: fp_greater() in models/numerics/fp_ops.cpp.
module fp_greater #(
    parameter integer EW = 8,
    parameter integer MW = 23
) (
    input  wire [EW+MW:0] a,
    input  wire [EW+MW:0] b,
    output wire           gt
);
  wire [EW+MW-1:0] ma = a[EW+MW-1:0];
  wire [EW+MW-1:0] mb = b[EW+MW-1:0];
  wire a_nan = (a[EW+MW-1:MW] == {EW{1'b1}}) && (a[MW-1:0] != {MW{1'b0}});
  wire b_nan = (b[EW+MW-1:MW] == {EW{1'b1}}) && (b[MW-1:0] != {MW{1'b0}});
  wire both_zero = (ma == {(EW + MW) {1'b0}}) && (mb == {(EW + MW) {1'b0}});
  wire sa = a[EW+MW];
  wire sb = b[EW+MW];
  assign gt = !a_nan && !b_nan && !both_zero &&
              ((!sa && sb) || (!sa && !sb && ma > mb) || (sa && sb && ma < mb));
endmodule
