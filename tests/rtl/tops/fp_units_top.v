// Co-verification top: fp_add (LATENCY 2) and fp_mul (LATENCY 1) in five formats, side
// by side, sharing clk and en. One Verilated model covers the whole format matrix.
module fp_units_top (
    input  wire        clk,
    input  wire        en,
    input  wire [ 7:0] a_e4m3,
    input  wire [ 7:0] b_e4m3,
    output wire [ 7:0] sum_e4m3,
    output wire [ 7:0] prod_e4m3,
    input  wire [ 7:0] a_e5m2,
    input  wire [ 7:0] b_e5m2,
    output wire [ 7:0] sum_e5m2,
    output wire [ 7:0] prod_e5m2,
    input  wire [15:0] a_e5m10,
    input  wire [15:0] b_e5m10,
    output wire [15:0] sum_e5m10,
    output wire [15:0] prod_e5m10,
    input  wire [15:0] a_e8m7,
    input  wire [15:0] b_e8m7,
    output wire [15:0] sum_e8m7,
    output wire [15:0] prod_e8m7,
    input  wire [31:0] a_e8m23,
    input  wire [31:0] b_e8m23,
    output wire [31:0] sum_e8m23,
    output wire [31:0] prod_e8m23
);
  fp_add #(.EW(4), .MW(3), .LATENCY(2)) add0 (.clk(clk), .en(en), .a(a_e4m3), .b(b_e4m3), .y(sum_e4m3));
  fp_mul #(.EW(4), .MW(3), .LATENCY(1)) mul0 (.clk(clk), .en(en), .a(a_e4m3), .b(b_e4m3), .y(prod_e4m3));
  fp_add #(.EW(5), .MW(2), .LATENCY(2)) add1 (.clk(clk), .en(en), .a(a_e5m2), .b(b_e5m2), .y(sum_e5m2));
  fp_mul #(.EW(5), .MW(2), .LATENCY(1)) mul1 (.clk(clk), .en(en), .a(a_e5m2), .b(b_e5m2), .y(prod_e5m2));
  fp_add #(.EW(5), .MW(10), .LATENCY(2)) add2 (.clk(clk), .en(en), .a(a_e5m10), .b(b_e5m10), .y(sum_e5m10));
  fp_mul #(.EW(5), .MW(10), .LATENCY(1)) mul2 (.clk(clk), .en(en), .a(a_e5m10), .b(b_e5m10), .y(prod_e5m10));
  fp_add #(.EW(8), .MW(7), .LATENCY(2)) add3 (.clk(clk), .en(en), .a(a_e8m7), .b(b_e8m7), .y(sum_e8m7));
  fp_mul #(.EW(8), .MW(7), .LATENCY(1)) mul3 (.clk(clk), .en(en), .a(a_e8m7), .b(b_e8m7), .y(prod_e8m7));
  fp_add #(.EW(8), .MW(23), .LATENCY(2)) add4 (.clk(clk), .en(en), .a(a_e8m23), .b(b_e8m23), .y(sum_e8m23));
  fp_mul #(.EW(8), .MW(23), .LATENCY(1)) mul4 (.clk(clk), .en(en), .a(a_e8m23), .b(b_e8m23), .y(prod_e8m23));
endmodule
