// Co-verification top: fp_accum with every method (METHOD 0..6) in E4M3, E5M10 and E8M23,
// sharing clk, rst, clear and in_valid. res_<fmt> packs the seven results, method 0 in the
// low bits.
module accum_top (
    input  wire          clk,
    input  wire          rst,
    input  wire          clear,
    input  wire          in_valid,
    input  wire [   7:0] x_e4m3,
    output wire [ 7*8-1:0] res_e4m3,
    input  wire [  15:0] x_e5m10,
    output wire [7*16-1:0] res_e5m10,
    input  wire [  31:0] x_e8m23,
    output wire [7*32-1:0] res_e8m23
);
  genvar m;
  generate
    for (m = 0; m < 7; m = m + 1) begin : g_m
      fp_accum #(.EW(4), .MW(3), .METHOD(m)) u0 (
          .clk(clk), .rst(rst), .clear(clear), .in_valid(in_valid), .x(x_e4m3),
          .result(res_e4m3[m*8+:8]));
      fp_accum #(.EW(5), .MW(10), .METHOD(m)) u1 (
          .clk(clk), .rst(rst), .clear(clear), .in_valid(in_valid), .x(x_e5m10),
          .result(res_e5m10[m*16+:16]));
      fp_accum #(.EW(8), .MW(23), .METHOD(m)) u2 (
          .clk(clk), .rst(rst), .clear(clear), .in_valid(in_valid), .x(x_e8m23),
          .result(res_e8m23[m*32+:32]));
    end
  endgenerate
endmodule
