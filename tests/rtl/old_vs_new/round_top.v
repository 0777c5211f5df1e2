// old-vs-new check (old_vs_new.sh): fp_round in eleven (format, SW) combinations side by
// side, narrow and general paths, one 64-bit sig input sliced per instance.
module round_top (
    input  wire        sign,
    input  wire [63:0] sig,
    input  wire signed [31:0] exp_lsb,
    output wire [127:0] res
);
  fp_round #(.EW(4), .MW(3), .SW(8))   r0 (.sign(sign), .sig(sig[7:0]),  .exp_lsb(exp_lsb), .res(res[7:0]));
  fp_round #(.EW(4), .MW(3), .SW(5))   r1 (.sign(sign), .sig(sig[4:0]),  .exp_lsb(exp_lsb), .res(res[15:8]));
  fp_round #(.EW(5), .MW(2), .SW(6))   r2 (.sign(sign), .sig(sig[5:0]),  .exp_lsb(exp_lsb), .res(res[23:16]));
  fp_round #(.EW(5), .MW(2), .SW(7))   r3 (.sign(sign), .sig(sig[6:0]),  .exp_lsb(exp_lsb), .res(res[31:24]));
  fp_round #(.EW(5), .MW(10), .SW(22)) r4 (.sign(sign), .sig(sig[21:0]), .exp_lsb(exp_lsb), .res(res[47:32]));
  fp_round #(.EW(5), .MW(10), .SW(15)) r5 (.sign(sign), .sig(sig[14:0]), .exp_lsb(exp_lsb), .res(res[63:48]));
  fp_round #(.EW(8), .MW(7), .SW(16))  r6 (.sign(sign), .sig(sig[15:0]), .exp_lsb(exp_lsb), .res(res[79:64]));
  fp_round #(.EW(8), .MW(7), .SW(11))  r7 (.sign(sign), .sig(sig[10:0]), .exp_lsb(exp_lsb), .res(res[95:80]));
  fp_round #(.EW(3), .MW(4), .SW(10))  r8 (.sign(sign), .sig(sig[9:0]),  .exp_lsb(exp_lsb), .res(res[103:96]));
  fp_round #(.EW(2), .MW(5), .SW(12))  r9 (.sign(sign), .sig(sig[11:0]), .exp_lsb(exp_lsb), .res(res[111:104]));
  fp_round #(.EW(5), .MW(10), .SW(20)) r10 (.sign(sign), .sig(sig[19:0]), .exp_lsb(exp_lsb), .res(res[127:112]));
endmodule
