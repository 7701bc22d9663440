// Testbench: runs the datapath for +cycles=N clock cycles (default 5000) and prints
// the accumulator every N/8 cycles and the final CRC.
module tb;
    reg clk = 0, rst = 1;
    wire [31:0] crc;
    wire [63:0] acc;
    integer cycles, n;
    datapath dut(.clk(clk), .rst(rst), .crc(crc), .acc(acc));
    always #5 clk = ~clk;
    initial begin
        if (!$value$plusargs("cycles=%d", cycles)) cycles = 5000;
        @(posedge clk); @(posedge clk); #1 rst = 0;
        for (n = 1; n <= cycles; n = n + 1) begin
            @(posedge clk); #1;
            if (n % (cycles / 8) == 0) $display("cycle %0d acc %h", n, acc);
        end
        $display("cycles %0d crc %h", cycles, ~crc);
        $finish;
    end
endmodule
