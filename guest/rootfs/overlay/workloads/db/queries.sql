-- The Database workload's decision-support queries (in the spirit of TPC-H): joins,
-- grouping, sorting and a correlated subquery. Money is integer cents, so the output
-- is exact on every machine.
.headers on
.mode list
SELECT 'q1' AS q, status, count(*) AS orders FROM orders GROUP BY status ORDER BY status;
SELECT 'q2' AS q, r.name, sum(l.qty * l.price_cents * (100 - l.discount_pct) / 100) AS revenue
    FROM lineitem l JOIN orders o ON o.id = l.orderid JOIN customer c ON c.id = o.customer
    JOIN region r ON r.id = c.region GROUP BY r.name ORDER BY revenue DESC;
SELECT 'q3' AS q, o.day / 365 AS year, c.segment, count(DISTINCT o.id) AS orders,
       sum(l.qty) AS units
    FROM orders o JOIN customer c ON c.id = o.customer JOIN lineitem l ON l.orderid = o.id
    GROUP BY year, c.segment ORDER BY year, c.segment;
SELECT 'q4' AS q, c.id, sum(l.qty * l.price_cents) AS spent
    FROM customer c JOIN orders o ON o.customer = c.id JOIN lineitem l ON l.orderid = o.id
    GROUP BY c.id ORDER BY spent DESC, c.id LIMIT 10;
SELECT 'q5' AS q, count(*) AS big_orders FROM orders o
    WHERE (SELECT sum(qty) FROM lineitem WHERE orderid = o.id) >
          (SELECT avg(qty) * 4 FROM lineitem);
SELECT 'q6' AS q, part, sum(qty) AS units FROM lineitem
    WHERE discount_pct BETWEEN 5 AND 7 GROUP BY part ORDER BY units DESC, part LIMIT 5;
