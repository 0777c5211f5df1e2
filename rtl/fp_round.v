// fp_round: rounds the exact value (-1)^sign * sig * 2^exp_lsb to the nearest value of the
// format (EW exponent bits, MW mantissa bits), ties to even; produces subnormals, signed
// zero (sig == 0) and infinity on overflow. Combinational. The shared last stage of
// fp_add, fp_mul and the Kulisch accumulator; modelled by fp_round_pack() in
// models/numerics/fp_arith.cpp.
//
// Both datapaths find the leading one and pick the result's LSB weight (lead - MW, but
// never below the subnormal LSB emin - MW); they differ in how they get there:
//   g_narrow (the frame below fits 64 bits: the 8- and 16-bit formats' adders and
//     multipliers): ONE variable shift puts sig into a frame where the kept significand,
//     the guard bit and the sticky bits sit at fixed positions; ONE addition rounds to
//     nearest even (no separate guard / sticky / increment logic), and the rounded
//     significand is added to the packed {exponent, mantissa}, so a carry out of the
//     mantissa bumps the exponent (subnormal -> normal, normal -> next binade) by itself.
//     Fixed positions, machine-word frames and narrow shift amounts, no renormalisation
//     step: a Verilated model evaluates this in a fraction of the instructions of
//     g_general, and the dot unit's speed is its adders and multipliers (docs/rtl.md,
//     "Speed").
//   g_general (wide sig: the Kulisch register, 32-bit formats): shift right keeping a
//     guard and a sticky bit, add one when guard && (sticky || lsb), renormalise a carry,
//     encode. Its vectors stay SW + MW + 1 bits wide where g_narrow's would double.
module fp_round #(
    parameter integer EW = 8,
    parameter integer MW = 23,
    parameter integer SW = 64  // width of sig
) (
    input  wire                 sign,
    input  wire [       SW-1:0] sig,
    input  wire signed [31:0]   exp_lsb,
    output wire [    EW+MW:0]   res
);
  localparam integer BIAS = (1 << (EW - 1)) - 1;
  localparam integer EMIN = 1 - BIAS;
  localparam integer EFMAX = (1 << EW) - 1;
  // The right shift r from sig's LSB to the result's LSB lies in [-MW, ...]; from
  // r = SW + 1 on, every bit of sig is below the guard bit, so clamping there is exact.
  localparam integer RMAX = SW + 1;
  localparam integer ZW = SW + RMAX + MW;  // the narrow path's frame

  integer msb, i;
  always @* begin
    msb = 0;
    for (i = 0; i < SW; i = i + 1) begin
      if (sig[i]) msb = i;
    end
  end
  wire signed [31:0] lead = exp_lsb + msb;  // the value lies in [2^lead, 2^(lead + 1))

  generate
    if (ZW <= 64) begin : g_narrow
      // The frame is a whole machine word (32 or 64 bits) and the shift amount a 5- or
      // 6-bit vector, so the Verilated shift needs neither a result mask nor an
      // out-of-range check. sh = RMAX - r with r = max(lead, EMIN) - MW - exp_lsb clamped
      // to RMAX, i.e. sh = max(0, min(TOP - msb, TOP - EMIN + exp_lsb)), TOP = RMAX + MW.
      localparam integer FZ = (ZW <= 32) ? 32 : 64;
      localparam integer SHW = (FZ == 32) ? 5 : 6;
      localparam integer TOP = RMAX + MW;
      wire signed [31:0] sh_norm = TOP - msb;
      wire signed [31:0] sh_sub = TOP - EMIN + exp_lsb;
      wire signed [31:0] sh_min = (sh_sub < sh_norm) ? sh_sub : sh_norm;
      wire [SHW-1:0] sh = (sh_min < 0) ? {SHW{1'b0}} : sh_min[SHW-1:0];
      // z = sig * 2^sh: bit RMAX is the result's LSB, RMAX - 1 the guard bit, bit TOP the
      // hidden bit of a normal result.
      wire [FZ-1:0] z = {{(FZ - SW) {1'b0}}, sig} << sh;
      // Round to nearest even by one addition: adding 2^(RMAX-1) - 1 + lsb carries into
      // bit RMAX exactly when guard && (sticky || lsb). rq may carry into bit TOP + 1.
      wire [FZ-1:0] zr = z + {{(FZ - RMAX + 1) {1'b0}}, {(RMAX - 1) {1'b1}}} +
                         {{(FZ - 1) {1'b0}}, z[RMAX]};
      wire [MW+1:0] rq = zr[TOP+1:RMAX];
      // Packed {exponent, mantissa}: a normal result adds (lead + BIAS - 1) << MW to the
      // rounded significand with its hidden bit, so a carry out of the mantissa bumps the
      // exponent (subnormal -> normal, normal -> next binade) by itself; a subnormal or
      // zero result is rq alone (a mask, not a ternary: no data-dependent branch).
      wire [31:0] ebase = (lead + BIAS - 1) & {32{z[TOP]}};
      wire [31:0] packed_v = (ebase << MW) + {{(30 - MW) {1'b0}}, rq};
      assign res = (packed_v >= (EFMAX << MW)) ? {sign, {EW{1'b1}}, {MW{1'b0}}} :
                                                {sign, packed_v[EW+MW-1:0]};
      wire unused_ok = &{1'b0, zr[FZ-1:TOP+2], zr[RMAX-1:0], packed_v[31:EW+MW]};
    end else begin : g_general
      localparam integer QW = SW + MW + 1;
      integer target, shift, lsb, expf;
      reg [QW-1:0] q;
      reg [SW-1:0] below_mask;
      reg guard, sticky;
      reg [EW+MW:0] res_r;
      always @* begin
        target = ((lead < EMIN) ? EMIN : lead) - MW;
        shift = target - exp_lsb;
        guard = 1'b0;
        sticky = 1'b0;
        below_mask = {SW{1'b0}};
        if (shift <= 0) begin
          q = {{(MW + 1) {1'b0}}, sig} << (-shift);
        end else begin
          q = {{(MW + 1) {1'b0}}, sig >> shift};
          guard = |((sig >> (shift - 1)) & {{(SW - 1) {1'b0}}, 1'b1});
          below_mask = ~({SW{1'b1}} << (shift - 1));
          sticky = |(sig & below_mask);
          if (guard && (sticky || q[0])) q = q + {{(QW - 1) {1'b0}}, 1'b1};
        end
        lsb = target;
        if ((q >> (MW + 1)) != {QW{1'b0}}) begin
          q = q >> 1;
          lsb = lsb + 1;
        end
        expf = lsb + MW + BIAS;
        if (sig == {SW{1'b0}}) begin
          res_r = {sign, {(EW + MW) {1'b0}}};
        end else if (q[MW] == 1'b0) begin
          res_r = {sign, {EW{1'b0}}, q[MW-1:0]};
        end else if (expf >= EFMAX) begin
          res_r = {sign, {EW{1'b1}}, {MW{1'b0}}};
        end else begin
          res_r = {sign, expf[EW-1:0], q[MW-1:0]};
        end
      end
      assign res = res_r;
    end
  endgenerate
endmodule
