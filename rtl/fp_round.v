// fp_round: rounds the exact value (-1)^sign * sig * 2^exp_lsb to the nearest value of the
// format (EW exponent bits, MW mantissa bits), ties to even; produces subnormals, signed
// zero (sig == 0) and infinity on overflow. Combinational. The shared last stage of
// fp_add, fp_mul and the Kulisch accumulator; modelled by fp_round_pack() in
// models/numerics/fp_arith.cpp.
//
// Steps: find the leading one, pick the result's LSB weight (lead - MW, but never below
// the subnormal LSB emin - MW), shift there keeping a guard bit and a sticky bit, add one
// when guard && (sticky || lsb), renormalise a carry, encode.
module fp_round #(
    parameter integer EW = 8,
    parameter integer MW = 23,
    parameter integer SW = 64  // width of sig
) (
    input  wire                 sign,
    input  wire [       SW-1:0] sig,
    input  wire signed [31:0]   exp_lsb,
    output reg  [    EW+MW:0]   res
);
  localparam integer BIAS = (1 << (EW - 1)) - 1;
  localparam integer EMIN = 1 - BIAS;
  localparam integer EFMAX = (1 << EW) - 1;
  localparam integer QW = SW + MW + 1;

  integer msb, i, lead, target, shift, lsb, expf;
  reg [QW-1:0] q;
  reg [SW-1:0] below_mask;
  reg guard, sticky;

  always @* begin
    msb = 0;
    for (i = 0; i < SW; i = i + 1) begin
      if (sig[i]) msb = i;
    end
    lead = exp_lsb + msb;
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
      res = {sign, {(EW + MW) {1'b0}}};
    end else if (q[MW] == 1'b0) begin
      res = {sign, {EW{1'b0}}, q[MW-1:0]};
    end else if (expf >= EFMAX) begin
      res = {sign, {EW{1'b1}}, {MW{1'b0}}};
    end else begin
      res = {sign, expf[EW-1:0], q[MW-1:0]};
    end
  end
endmodule
