// Co-verification top: five dot units covering formats x reductions x methods x lanes x
// multiplier latencies, each with its own handshake (prefix dN_). Together with the
// standalone 16-lane E4M3 tree/naive unit (rtl/CMakeLists.txt) this is the CI matrix:
//   d0  E5M10  4 lanes  sequential  Kahan     MUL_LATENCY 0
//   d1  E8M7   8 lanes  tree        Kulisch   MUL_LATENCY 2
//   d2  E4M3   4 lanes  sequential  Klein     MUL_LATENCY 1
//   d3  E8M23  2 lanes  sequential  TwoSum    MUL_LATENCY 1
//   d4  E5M2   4 lanes  tree        Fast2Sum  MUL_LATENCY 0
//   d5  E5M10  2 lanes  tree        Neumaier  MUL_LATENCY 3
`define DOT_PORTS(P, L, W) \
    input  wire P``in_valid, output wire P``in_ready, input wire P``in_last, \
    input  wire [(L)*(W)-1:0] P``in_a, input wire [(L)*(W)-1:0] P``in_b, \
    output wire P``out_valid, input wire P``out_ready, output wire [(W)-1:0] P``out_result
`define DOT_INST(P, EW_, MW_, L, R, M, LAT) \
  dot_unit #(.EW(EW_), .MW(MW_), .LANES(L), .REDUCE(R), .METHOD(M), .MUL_LATENCY(LAT)) u_``P ( \
      .clk(clk), .rst(rst), .in_valid(P``in_valid), .in_ready(P``in_ready), \
      .in_last(P``in_last), .in_a(P``in_a), .in_b(P``in_b), .out_valid(P``out_valid), \
      .out_ready(P``out_ready), .out_result(P``out_result));
module dot_matrix_top (
    input wire clk,
    input wire rst,
    `DOT_PORTS(d0_, 4, 16),
    `DOT_PORTS(d1_, 8, 16),
    `DOT_PORTS(d2_, 4, 8),
    `DOT_PORTS(d3_, 2, 32),
    `DOT_PORTS(d4_, 4, 8),
    `DOT_PORTS(d5_, 2, 16)
);
  `DOT_INST(d0_, 5, 10, 4, 1, 1, 0)
  `DOT_INST(d1_, 8, 7, 8, 0, 6, 2)
  `DOT_INST(d2_, 4, 3, 4, 1, 5, 1)
  `DOT_INST(d3_, 8, 23, 2, 1, 3, 1)
  `DOT_INST(d4_, 5, 2, 4, 0, 4, 0)
  `DOT_INST(d5_, 5, 10, 2, 0, 2, 3)
endmodule
