// fp_ordered_error: the rounding error of t = fl(a + b) by Dekker's Fast2Sum after
// ordering by magnitude: e = (big - t) + small, where big is whichever of a, b has the
// larger magnitude (bit-pattern compare, as the C++ model's fp_abs_ge). Two real adders.
// Used by the Neumaier and Klein steps.
module fp_ordered_error #(
    parameter integer EW = 8,
    parameter integer MW = 23
) (
    input  wire [EW+MW:0] a,
    input  wire [EW+MW:0] b,
    input  wire [EW+MW:0] t,
    output wire [EW+MW:0] e
);
  wire a_ge = a[EW+MW-1:0] >= b[EW+MW-1:0];
  wire [EW+MW:0] big_v = a_ge ? a : b;
  wire [EW+MW:0] small_v = a_ge ? b : a;
  wire [EW+MW:0] d;
  fp_add #(.EW(EW), .MW(MW)) a0 (.clk(1'b0), .en(1'b0), .a(big_v), .b(t ^ {1'b1, {(EW + MW) {1'b0}}}), .y(d));
  fp_add #(.EW(EW), .MW(MW)) a1 (.clk(1'b0), .en(1'b0), .a(d), .b(small_v), .y(e));
endmodule
