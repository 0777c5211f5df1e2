// Accumulator method codes (the METHOD parameter of fp_accum*, dot_unit), identical to
// tessera::numerics::AccumMethod:
//   0 naive, 1 Kahan, 2 Neumaier, 3 TwoSum cascade, 4 Fast2Sum, 5 Klein, 6 Kulisch.
// State layout of fp_accum_step / fp_accum_result (STATE_W bits, LSB first):
//   s [W], c [W], cs [W], ccs [W], flags [3] = {nan, +inf, -inf}, kulisch [KW]
// where KW = (2^EW - 2) + MW + 16 carry bits + 1 sign bit for METHOD 6, else 1 unused bit.
