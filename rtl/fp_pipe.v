// fp_pipe: DEPTH register stages advancing when `en` is high; DEPTH = 0 is a wire.
// Gives fp_add / fp_mul their LATENCY: the combinational datapath sits in front of the
// registers, and synthesis retiming spreads it across them.
module fp_pipe #(
    parameter integer W = 8,
    parameter integer DEPTH = 0
) (
    input  wire         clk,
    input  wire         en,
    input  wire [W-1:0] d,
    output wire [W-1:0] q
);
  generate
    if (DEPTH == 0) begin : g_wire
      assign q = d;
      // clk and en are unused without registers.
      wire unused_ok = &{1'b0, clk, en};
    end else if (DEPTH == 1) begin : g_reg
      reg [W-1:0] stage;
      always @(posedge clk) begin
        if (en) stage <= d;
      end
      assign q = stage;
    end else begin : g_regs
      reg [DEPTH*W-1:0] stages;
      always @(posedge clk) begin
        if (en) stages <= {stages[(DEPTH-1)*W-1:0], d};
      end
      assign q = stages[DEPTH*W-1-:W];
    end
  endgenerate
endmodule
