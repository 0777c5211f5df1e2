// dot_unit: LANES multipliers and a reduction, for dot products streamed as beats of
// LANES pairs (in_last marks a dot product's final beat). Format (EW, MW) throughout.
//   REDUCE = 0 (tree):       the beat's products are summed by a complete binary tree of
//                            fp_add (lane 2k with 2k + 1, ...), and the beat sum goes
//                            through one step of the accumulator METHOD;
//   REDUCE = 1 (sequential): the products go through LANES chained steps of METHOD,
//                            lane 0 first.
// The accumulator state carries across beats and clears after in_last.
// Pipeline: an input register (so no arithmetic hangs off the input pins: a Verilated
// model then evaluates the datapath once per clock edge, not on every input change),
// MUL_LATENCY register stages in the multipliers, then the reduction and the accumulator
// register (1 stage); out_result is registered. A beat is accepted when
// in_valid && in_ready; out_valid holds until out_ready. The whole pipeline advances
// together (in_ready = !out_valid || out_ready), so throughput is one beat per cycle and
// the latency from the last beat to out_valid is MUL_LATENCY + 2 cycles.
// LANES must be a power of two. Model: DotModel in models/numerics/dot_model.cpp.
module dot_unit #(
    parameter integer EW = 4,
    parameter integer MW = 3,
    parameter integer LANES = 16,
    parameter integer REDUCE = 0,
    parameter integer METHOD = 0,
    parameter integer MUL_LATENCY = 1
) (
    input  wire                        clk,
    input  wire                        rst,
    input  wire                        in_valid,
    output wire                        in_ready,
    input  wire                        in_last,
    input  wire [LANES*(EW+MW+1)-1:0]  in_a,
    input  wire [LANES*(EW+MW+1)-1:0]  in_b,
    output reg                         out_valid,
    input  wire                        out_ready,
    output reg  [        EW+MW:0]      out_result
);
  localparam integer W = EW + MW + 1;
  localparam integer STATE_W = 4 * W + 3 + ((METHOD == 6) ? ((1 << EW) - 2 + MW + 17) : 1);

  wire adv = !out_valid || out_ready;
  assign in_ready = adv;
  wire fire = in_valid && adv;

  // Input register.
  reg [LANES*W-1:0] a_q, b_q;
  reg fire_q, last_q;
  always @(posedge clk) begin
    if (rst) begin
      fire_q <= 1'b0;
      last_q <= 1'b0;
      a_q <= {(LANES * W) {1'b0}};
      b_q <= {(LANES * W) {1'b0}};
    end else if (adv) begin
      fire_q <= fire;
      last_q <= in_last;
      a_q <= in_a;
      b_q <= in_b;
    end
  end

  // Valid / last travel alongside the multiplier stages.
  wire [1:0] ctl;
  fp_pipe #(.W(2), .DEPTH(MUL_LATENCY)) u_ctl (
      .clk(clk), .en(adv), .d({fire_q, last_q}), .q(ctl));
  wire beat_valid = ctl[1];
  wire beat_last = ctl[0];

  wire [LANES*W-1:0] prod;
  genvar i;
  generate
    for (i = 0; i < LANES; i = i + 1) begin : g_mul
      fp_mul #(.EW(EW), .MW(MW), .LATENCY(MUL_LATENCY)) u_mul (
          .clk(clk), .en(adv), .a(a_q[i*W+:W]), .b(b_q[i*W+:W]), .y(prod[i*W+:W]));
    end
  endgenerate

  reg  [STATE_W-1:0] acc;
  wire [STATE_W-1:0] acc_next;
  generate
    if (REDUCE == 0) begin : g_tree
      // Heap-ordered nodes: node n sums nodes 2n + 1 and 2n + 2; leaves are nodes
      // LANES - 1 .. 2 * LANES - 2.
      wire [(2*LANES-1)*W-1:0] node  /*verilator split_var*/;
      assign node[(2*LANES-1)*W-1:(LANES-1)*W] = prod;
      for (i = 0; i < LANES - 1; i = i + 1) begin : g_node
        fp_add #(.EW(EW), .MW(MW)) u_add (
            .clk(1'b0), .en(1'b0), .a(node[(2*i+1)*W+:W]), .b(node[(2*i+2)*W+:W]),
            .y(node[i*W+:W]));
      end
      fp_accum_step #(.EW(EW), .MW(MW), .METHOD(METHOD)) u_step (
          .state_in(acc), .x(node[W-1:0]), .state_out(acc_next));
    end else begin : g_seq
      wire [(LANES+1)*STATE_W-1:0] chain  /*verilator split_var*/;
      assign chain[STATE_W-1:0] = acc;
      for (i = 0; i < LANES; i = i + 1) begin : g_step
        fp_accum_step #(.EW(EW), .MW(MW), .METHOD(METHOD)) u_step (
            .state_in(chain[i*STATE_W+:STATE_W]), .x(prod[i*W+:W]),
            .state_out(chain[(i+1)*STATE_W+:STATE_W]));
      end
      assign acc_next = chain[LANES*STATE_W+:STATE_W];
    end
  endgenerate

  wire [W-1:0] result_next;
  fp_accum_result #(.EW(EW), .MW(MW), .METHOD(METHOD)) u_res (
      .state(acc_next), .result(result_next));

  always @(posedge clk) begin
    if (rst) begin
      acc <= {STATE_W{1'b0}};
      out_valid <= 1'b0;
      out_result <= {W{1'b0}};
    end else if (adv) begin
      out_valid <= beat_valid && beat_last;
      if (beat_valid) begin
        acc <= beat_last ? {STATE_W{1'b0}} : acc_next;
        if (beat_last) out_result <= result_next;
      end
    end
  end
endmodule
