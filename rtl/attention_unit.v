// attention_unit: one query row against L keys / values, o = softmax(q K^T) V, with the
// three stages in their own formats and accumulation methods (A-PACE's split):
//   scores   (SEW, SMW): q, k and s_j = q . k_j by a dot_unit of D lanes
//            (reduction SREDUCE: 0 tree, 1 sequential; accumulation SMETHOD)
//   softmax  (PEW, PMW): running max m, exponentials (fp_exp), denominator l
//            accumulated by method PMETHOD
//   output   (OEW, OMW): v, products p_j v_j, accumulators o[d] by method OMETHOD, and
//            the final division o[d] / l (fp_div)
// Method codes: fp_accum_pkg.vh. The caller folds any 1/sqrt(D) scale into q.
//
// Online softmax (Milakov and Gimelshein 2018), one exponential per key. For each key j,
// with s = convert(s_j to the softmax format):
//   if s > m:  alpha = exp(m - s); p = 1; m = s; the accumulators are rescaled
//   else:      p = exp(s - m)
//   l += p;  o[d] += convert(p) * v_j[d]
// Rescaling an accumulator by alpha rounds it out, multiplies and seeds a cleared one:
// state = step(0, fl(result(state) * alpha)) (a compensated or Kulisch state cannot be
// scaled in place); this happens only when the running max increases. m starts at -inf,
// so the first key rescales empty accumulators by exp(-inf) = 0. At the last key:
// out[d] = fl(result(o[d]) / convert(result(l) to the output format)).
//
// Ports (packed; lane d occupies bits [d*W +: W] of its bus):
//   in_valid, in_ready, in_last  one key per accepted beat; in_last marks the row's last
//   in_q [D*(SEW+SMW+1)]         the query row (held or repeated on every beat)
//   in_k [D*(SEW+SMW+1)]         key row j
//   in_v [D*(OEW+OMW+1)]         value row j
//   out_valid, out_ready, out_o [D*(OEW+OMW+1)]   the output row, held until out_ready
// Timing: one key per cycle. After a row's last beat is accepted in_ready stays low until
// its output is taken (rows do not overlap); out_valid rises MUL_LATENCY + 4 cycles after
// the last beat's accepting edge (dot_unit MUL_LATENCY + 2, softmax stage 1, output
// stage 1). D must be a power of two (dot_unit). Model: AttentionModel in
// models/numerics/attention_model.cpp.
module attention_unit #(
    parameter integer D = 4,
    parameter integer SEW = 5,
    parameter integer SMW = 10,
    parameter integer SREDUCE = 0,
    parameter integer SMETHOD = 0,
    parameter integer PEW = 5,
    parameter integer PMW = 10,
    parameter integer PMETHOD = 0,
    parameter integer OEW = 5,
    parameter integer OMW = 10,
    parameter integer OMETHOD = 0,
    parameter integer MUL_LATENCY = 1
) (
    input  wire                         clk,
    input  wire                         rst,
    input  wire                         in_valid,
    output wire                         in_ready,
    input  wire                         in_last,
    input  wire [D*(SEW+SMW+1)-1:0]     in_q,
    input  wire [D*(SEW+SMW+1)-1:0]     in_k,
    input  wire [D*(OEW+OMW+1)-1:0]     in_v,
    output reg                          out_valid,
    input  wire                         out_ready,
    output reg  [D*(OEW+OMW+1)-1:0]     out_o
);
  localparam integer SW = SEW + SMW + 1;
  localparam integer PW = PEW + PMW + 1;
  localparam integer OW = OEW + OMW + 1;
  localparam integer PSTATE_W = 4 * PW + 3 + ((PMETHOD == 6) ? ((1 << PEW) - 2 + PMW + 17) : 1);
  localparam integer OSTATE_W = 4 * OW + 3 + ((OMETHOD == 6) ? ((1 << OEW) - 2 + OMW + 17) : 1);
  localparam [PW-1:0] P_ONE = {2'b00, {(PEW - 1) {1'b1}}, {PMW{1'b0}}};
  localparam [PW-1:0] P_NEG_INF = {1'b1, {PEW{1'b1}}, {PMW{1'b0}}};
  localparam [PW-1:0] P_SIGN = {1'b1, {(PW - 1) {1'b0}}};

  // ---- Input: rows do not overlap.
  reg busy;
  assign in_ready = !busy;
  wire fire = in_valid && !busy;

  // ---- Scores: the dot unit never sees back-pressure (out_ready = 1), so its latency is
  // fixed at MUL_LATENCY + 2 and v / last travel beside it in a delay line.
  wire dot_valid;
  wire [SW-1:0] score;
  wire dot_in_ready;
  dot_unit #(.EW(SEW), .MW(SMW), .LANES(D), .REDUCE(SREDUCE), .METHOD(SMETHOD),
             .MUL_LATENCY(MUL_LATENCY)) u_dot (
      .clk(clk), .rst(rst), .in_valid(fire), .in_ready(dot_in_ready), .in_last(1'b1),
      .in_a(in_q), .in_b(in_k), .out_valid(dot_valid), .out_ready(1'b1), .out_result(score));
  wire [D*OW:0] vl_d;
  fp_pipe #(.W(D * OW + 1), .DEPTH(MUL_LATENCY + 2)) u_vdelay (
      .clk(clk), .en(1'b1), .d({in_last, in_v}), .q(vl_d));

  // ---- Softmax stage.
  reg [PW-1:0] m;
  reg [PSTATE_W-1:0] l_state;
  wire [PW-1:0] s_p;
  fp_convert #(.IEW(SEW), .IMW(SMW), .OEW(PEW), .OMW(PMW)) u_cvt_s (.a(score), .y(s_p));
  wire gt;
  fp_greater #(.EW(PEW), .MW(PMW)) u_gt (.a(s_p), .b(m), .gt(gt));
  wire [PW-1:0] diff;  // m - s when s > m, else s - m: <= 0
  fp_add #(.EW(PEW), .MW(PMW)) u_diff (
      .clk(1'b0), .en(1'b0), .a(gt ? m : s_p), .b((gt ? s_p : m) ^ P_SIGN), .y(diff));
  wire [PW-1:0] e;
  fp_exp #(.EW(PEW), .MW(PMW)) u_exp (.x(diff), .y(e));
  wire [PW-1:0] p = gt ? P_ONE : e;
  wire [PW-1:0] alpha = e;

  wire [PW-1:0] l_res, l_scaled, l_next_res;
  wire [PSTATE_W-1:0] l_seeded, l_next;
  fp_accum_result #(.EW(PEW), .MW(PMW), .METHOD(PMETHOD)) u_lres (.state(l_state), .result(l_res));
  fp_mul #(.EW(PEW), .MW(PMW)) u_lscale (.clk(1'b0), .en(1'b0), .a(l_res), .b(alpha), .y(l_scaled));
  fp_accum_step #(.EW(PEW), .MW(PMW), .METHOD(PMETHOD)) u_lseed (
      .state_in({PSTATE_W{1'b0}}), .x(l_scaled), .state_out(l_seeded));
  fp_accum_step #(.EW(PEW), .MW(PMW), .METHOD(PMETHOD)) u_lstep (
      .state_in(gt ? l_seeded : l_state), .x(p), .state_out(l_next));
  fp_accum_result #(.EW(PEW), .MW(PMW), .METHOD(PMETHOD)) u_lnres (
      .state(l_next), .result(l_next_res));

  reg s1_valid, s1_last, s1_rescale;
  reg [PW-1:0] s1_p, s1_alpha, s1_l;
  reg [D*OW-1:0] s1_v;
  always @(posedge clk) begin
    if (rst) begin
      s1_valid <= 1'b0;
      m <= P_NEG_INF;
      l_state <= {PSTATE_W{1'b0}};
    end else begin
      s1_valid <= dot_valid;
      if (dot_valid) begin
        m <= vl_d[D*OW] ? P_NEG_INF : (gt ? s_p : m);
        l_state <= vl_d[D*OW] ? {PSTATE_W{1'b0}} : l_next;
      end
    end
    if (dot_valid) begin
      s1_last <= vl_d[D*OW];
      s1_rescale <= gt;
      s1_p <= p;
      s1_alpha <= alpha;
      s1_l <= l_next_res;
      s1_v <= vl_d[D*OW-1:0];
    end
  end

  // ---- Output stage: D accumulators, rescale, and the division at the row's end.
  wire [OW-1:0] p_o, alpha_o, l_o;
  fp_convert #(.IEW(PEW), .IMW(PMW), .OEW(OEW), .OMW(OMW)) u_cvt_p (.a(s1_p), .y(p_o));
  fp_convert #(.IEW(PEW), .IMW(PMW), .OEW(OEW), .OMW(OMW)) u_cvt_a (.a(s1_alpha), .y(alpha_o));
  fp_convert #(.IEW(PEW), .IMW(PMW), .OEW(OEW), .OMW(OMW)) u_cvt_l (.a(s1_l), .y(l_o));

  reg [D*OSTATE_W-1:0] o_state;
  wire [D*OSTATE_W-1:0] o_next;
  wire [D*OW-1:0] quot;
  genvar i;
  generate
    for (i = 0; i < D; i = i + 1) begin : g_lane
      wire [OW-1:0] prod, o_res, o_scaled, o_next_res;
      wire [OSTATE_W-1:0] seeded;
      fp_mul #(.EW(OEW), .MW(OMW)) u_pv (
          .clk(1'b0), .en(1'b0), .a(p_o), .b(s1_v[i*OW+:OW]), .y(prod));
      fp_accum_result #(.EW(OEW), .MW(OMW), .METHOD(OMETHOD)) u_ores (
          .state(o_state[i*OSTATE_W+:OSTATE_W]), .result(o_res));
      fp_mul #(.EW(OEW), .MW(OMW)) u_oscale (
          .clk(1'b0), .en(1'b0), .a(o_res), .b(alpha_o), .y(o_scaled));
      fp_accum_step #(.EW(OEW), .MW(OMW), .METHOD(OMETHOD)) u_oseed (
          .state_in({OSTATE_W{1'b0}}), .x(o_scaled), .state_out(seeded));
      fp_accum_step #(.EW(OEW), .MW(OMW), .METHOD(OMETHOD)) u_ostep (
          .state_in(s1_rescale ? seeded : o_state[i*OSTATE_W+:OSTATE_W]), .x(prod),
          .state_out(o_next[i*OSTATE_W+:OSTATE_W]));
      fp_accum_result #(.EW(OEW), .MW(OMW), .METHOD(OMETHOD)) u_onres (
          .state(o_next[i*OSTATE_W+:OSTATE_W]), .result(o_next_res));
      fp_div #(.EW(OEW), .MW(OMW)) u_div (.a(o_next_res), .b(l_o), .y(quot[i*OW+:OW]));
    end
  endgenerate

  always @(posedge clk) begin
    if (rst) begin
      busy <= 1'b0;
      out_valid <= 1'b0;
      out_o <= {(D * OW) {1'b0}};
      o_state <= {(D * OSTATE_W) {1'b0}};
    end else begin
      if (fire && in_last) busy <= 1'b1;
      else if (out_valid && out_ready) busy <= 1'b0;
      if (s1_valid) o_state <= s1_last ? {(D * OSTATE_W) {1'b0}} : o_next;
      if (s1_valid && s1_last) begin
        out_valid <= 1'b1;
        out_o <= quot;
      end else if (out_ready) begin
        out_valid <= 1'b0;
      end
    end
  end

  wire unused_ok = &{1'b0, dot_in_ready};
endmodule
