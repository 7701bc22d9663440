-- The Database workload's data generator: a small decision-support schema filled with
-- pseudo-random rows from a fixed linear congruential generator, so every run builds
-- the same database. run.sh replaces SCALE_ROWS with 2000 * scale (the order count).
CREATE TABLE region(id INTEGER PRIMARY KEY, name TEXT);
INSERT INTO region VALUES (0,'AFRICA'),(1,'AMERICA'),(2,'ASIA'),(3,'EUROPE'),(4,'OCEANIA');
CREATE TABLE customer(id INTEGER PRIMARY KEY, region INTEGER, segment TEXT, balance INTEGER);
CREATE TABLE orders(id INTEGER PRIMARY KEY, customer INTEGER, day INTEGER, status TEXT);
CREATE TABLE lineitem(orderid INTEGER, line INTEGER, part INTEGER, qty INTEGER,
                      price_cents INTEGER, discount_pct INTEGER);
CREATE TABLE rng(i INTEGER PRIMARY KEY, r INTEGER);

-- r(i) = (r(i-1) * 1103515245 + 12345) mod 2^31, r(0) = 42.
WITH RECURSIVE g(i, r) AS (
    SELECT 0, 42
    UNION ALL
    SELECT i + 1, (r * 1103515245 + 12345) % 2147483648 FROM g WHERE i < SCALE_ROWS * 5
)
INSERT INTO rng SELECT i, r FROM g;

INSERT INTO customer
    SELECT i, r % 5, CASE (r / 7) % 4 WHEN 0 THEN 'AUTO' WHEN 1 THEN 'BUILDING'
                     WHEN 2 THEN 'MACHINERY' ELSE 'HOUSEHOLD' END, (r / 11) % 1000000
    FROM rng WHERE i < SCALE_ROWS / 10;
INSERT INTO orders
    SELECT i, r % (SCALE_ROWS / 10), (r / 13) % 2556,
           CASE (r / 17) % 3 WHEN 0 THEN 'F' WHEN 1 THEN 'O' ELSE 'P' END
    FROM rng WHERE i < SCALE_ROWS;
INSERT INTO lineitem
    SELECT i / 4, i % 4, r % 1000, 1 + (r / 19) % 50, 100 + (r / 23) % 100000, (r / 29) % 11
    FROM rng WHERE i < SCALE_ROWS * 4;
CREATE INDEX lineitem_order ON lineitem(orderid);
CREATE INDEX orders_customer ON orders(customer);
ANALYZE;
