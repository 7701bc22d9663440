// The Engineering workload's design: a small pipelined datapath. Each cycle a 32-bit
// LFSR makes a new operand pair; stage 1 multiplies them, stage 2 accumulates the
// product, and a CRC-32 register folds every accumulator value in. The testbench
// prints the CRC, so one wrong bit anywhere in the simulation changes the result.
module lfsr32(input clk, input rst, output reg [31:0] q);
    // Taps 32, 22, 2, 1: a maximal-length Fibonacci LFSR.
    always @(posedge clk)
        if (rst) q <= 32'hace1_2468;
        else     q <= {q[30:0], q[31] ^ q[21] ^ q[1] ^ q[0]};
endmodule

module crc32_step(input [31:0] crc, input [31:0] data, output [31:0] next);
    // One word of the reflected IEEE 802.3 CRC, bit-serial, unrolled by the for loop.
    reg [31:0] c;
    integer i;
    always @* begin
        c = crc ^ data;
        for (i = 0; i < 32; i = i + 1)
            c = c[0] ? (c >> 1) ^ 32'hedb8_8320 : (c >> 1);
    end
    assign next = c;
endmodule

module datapath(input clk, input rst, output reg [31:0] crc, output reg [63:0] acc);
    wire [31:0] rnd;
    reg  [31:0] prod;
    wire [31:0] crc_next;
    lfsr32 gen(.clk(clk), .rst(rst), .q(rnd));
    crc32_step step(.crc(crc), .data(acc[31:0] ^ acc[63:32]), .next(crc_next));
    always @(posedge clk)
        if (rst) begin
            prod <= 0; acc <= 0; crc <= 32'hffff_ffff;
        end else begin
            prod <= rnd[15:0] * rnd[31:16];          // stage 1
            acc  <= acc + {32'b0, prod};             // stage 2
            crc  <= crc_next;
        end
endmodule
