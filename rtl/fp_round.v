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
//     the guard bit and the sticky bits sit at fixed positions, and the rounding
//     increment is added to the packed {exponent, mantissa}, so a carry out of the
//     mantissa bumps the exponent (subnormal -> normal, normal -> next binade) by itself.
//     Fixed positions instead of shifted masks, no renormalisation step: a Verilated
//     model evaluates this in a fraction of the instructions of g_general, and the dot
//     unit's speed is its adders and multipliers (docs/rtl.md, speed).
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
      // r = max(lead, EMIN) - MW - exp_lsb, clamped to RMAX.
      wire signed [31:0] r_full = ((lead < EMIN) ? EMIN - exp_lsb : msb) - MW;
      wire signed [31:0] r = (r_full > RMAX) ? RMAX : r_full;
      // z = sig * 2^(RMAX - r): bit RMAX is the result's LSB, RMAX - 1 the guard bit.
      wire [ZW-1:0] z = {{(ZW - SW) {1'b0}}, sig} << (RMAX - r);
      wire [MW:0] q = z[RMAX+MW:RMAX];  // q[MW]: normal (the hidden bit is present)
      wire guard = z[RMAX-1];
      wire sticky = (z[RMAX-2:0] != {(RMAX - 1) {1'b0}});
      wire inc = guard && (sticky || q[0]);
      // Normal: exponent field lead + BIAS >= 1; subnormal or zero: field 0 (a mask, not
      // a ternary: the C++ compiler turns that into a branch random data mispredicts).
      wire signed [31:0] efield = (lead + BIAS) & {32{q[MW]}};
      wire signed [31:0] packed_v = (efield <<< MW) + $signed({{(31 - MW) {1'b0}}, q[MW-1:0]})
                                    + $signed({31'b0, inc});
      assign res = (packed_v >= (EFMAX <<< MW)) ? {sign, {EW{1'b1}}, {MW{1'b0}}} :
                                                 {sign, packed_v[EW+MW-1:0]};
      wire unused_ok = &{1'b0, z[ZW-1:RMAX+MW+1], packed_v[31:EW+MW]};
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
