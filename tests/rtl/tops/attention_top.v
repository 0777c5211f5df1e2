// Co-verification top: four attention units covering formats x methods x head dims x
// multiplier latencies (every accumulation method appears in some stage), each with its
// own handshake (prefix aN_). Codes: REDUCE 0 tree / 1 sequential; METHOD 0 naive,
// 1 Kahan, 2 Neumaier, 3 TwoSum, 4 Fast2Sum, 5 Klein, 6 Kulisch.
//        D  scores                  softmax          output           MUL_LATENCY
//   a0   4  E4M3  tree  naive       E5M10 Kahan      E5M10 Neumaier   1
//   a1   2  E5M10 seq   TwoSum      E8M7  Kulisch    E8M7  Klein      0
//   a2   2  E8M23 tree  Fast2Sum    E8M23 naive      E8M23 Kulisch    2
//   a3   4  E5M2  seq   Klein       E4M3  Neumaier   E4M3  Kulisch    0
`define ATT_PORTS(P, D_, SW_, OW_) \
    input  wire P``in_valid, output wire P``in_ready, input wire P``in_last, \
    input  wire [(D_)*(SW_)-1:0] P``in_q, input wire [(D_)*(SW_)-1:0] P``in_k, \
    input  wire [(D_)*(OW_)-1:0] P``in_v, \
    output wire P``out_valid, input wire P``out_ready, output wire [(D_)*(OW_)-1:0] P``out_o
`define ATT_INST(P, D_, SE, SM, SR, SME, PE, PM, PME, OE, OM, OME, LAT) \
  attention_unit #(.D(D_), .SEW(SE), .SMW(SM), .SREDUCE(SR), .SMETHOD(SME), .PEW(PE), \
                   .PMW(PM), .PMETHOD(PME), .OEW(OE), .OMW(OM), .OMETHOD(OME), \
                   .MUL_LATENCY(LAT)) u_``P ( \
      .clk(clk), .rst(rst), .in_valid(P``in_valid), .in_ready(P``in_ready), \
      .in_last(P``in_last), .in_q(P``in_q), .in_k(P``in_k), .in_v(P``in_v), \
      .out_valid(P``out_valid), .out_ready(P``out_ready), .out_o(P``out_o));
module attention_top (
    input wire clk,
    input wire rst,
    `ATT_PORTS(a0_, 4, 8, 16),
    `ATT_PORTS(a1_, 2, 16, 16),
    `ATT_PORTS(a2_, 2, 32, 32),
    `ATT_PORTS(a3_, 4, 8, 8)
);
  `ATT_INST(a0_, 4, 4, 3, 0, 0, 5, 10, 1, 5, 10, 2, 1)
  `ATT_INST(a1_, 2, 5, 10, 1, 3, 8, 7, 6, 8, 7, 5, 0)
  `ATT_INST(a2_, 2, 8, 23, 0, 4, 8, 23, 0, 8, 23, 6, 2)
  `ATT_INST(a3_, 4, 5, 2, 1, 5, 4, 3, 2, 4, 3, 6, 0)
endmodule
