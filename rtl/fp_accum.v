// fp_accum: a sequential accumulator of the method METHOD (codes in fp_accum_pkg.vh).
// One value per cycle when in_valid; `clear` zeroes the state (and wins over in_valid).
// `result` is the rounded sum of everything accepted so far (combinational from the state
// register: valid the cycle after the last accepted value).
module fp_accum #(
    parameter integer EW = 8,
    parameter integer MW = 23,
    parameter integer METHOD = 0
) (
    input  wire           clk,
    input  wire           rst,
    input  wire           clear,
    input  wire           in_valid,
    input  wire [EW+MW:0] x,
    output wire [EW+MW:0] result
);
  localparam integer STATE_W = 4 * (EW + MW + 1) + 3 + ((METHOD == 6) ? ((1 << EW) - 2 + MW + 17) : 1);
  reg  [STATE_W-1:0] state;
  wire [STATE_W-1:0] next;
  fp_accum_step #(.EW(EW), .MW(MW), .METHOD(METHOD)) u_step (.state_in(state), .x(x), .state_out(next));
  fp_accum_result #(.EW(EW), .MW(MW), .METHOD(METHOD)) u_res (.state(state), .result(result));
  always @(posedge clk) begin
    if (rst || clear) state <= {STATE_W{1'b0}};
    else if (in_valid) state <= next;
  end
endmodule
