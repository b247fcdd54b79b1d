-- The four-statement streaming app: capture, transform, materialize, serve.
-- The shop's database (SQLite here, created by `rhei demo`) has two tables that only ever receive new rows:
--   purchases      (id, customer_id, pageid, order_total, viewtime)   one row per completed checkout
--   user_profiles  (id, customer_id, name, country, updated_at)       one row per new or changed profile
-- Run it with `rhei demo` (which also creates and feeds the database), or see README.md for `rhei run`.

-- 1. Capture: a JDBC source connector copies every new row of both tables into the topics
--    shop_purchases and shop_user_profiles, keyed by customer_id.
CREATE SOURCE CONNECTOR shop_db WITH (
  'connector.class'          = 'io.confluent.connect.jdbc.JdbcSourceConnector',
  'connection.url'           = 'jdbc:sqlite:demo-data/shop.db',
  'mode'                     = 'incrementing',
  'incrementing.column.name' = 'id',
  'table.whitelist'          = 'purchases,user_profiles',
  'topic.prefix'             = 'shop_',
  'key'                      = 'customer_id',
  'poll.interval.ms'         = '1000'
);

-- Not one of the four: the captured topics hold schemaless JSON, so these two lines say which columns to read from
-- them and which column holds each row's event time.
CREATE STREAM purchases_raw (customer_id INT KEY, id INT, pageid STRING, order_total DECIMAL(10, 2), viewtime BIGINT)
  WITH (KAFKA_TOPIC = 'shop_purchases', VALUE_FORMAT = 'JSON', TIMESTAMP = 'viewtime', PARTITIONS = 1);
CREATE TABLE user_profiles (customer_id INT PRIMARY KEY, name STRING, country STRING, updated_at BIGINT)
  WITH (KAFKA_TOPIC = 'shop_user_profiles', VALUE_FORMAT = 'JSON', TIMESTAMP = 'updated_at', PARTITIONS = 1);

-- 2. Transform: a continuous query that rewrites every purchase as it arrives.
CREATE STREAM purchases AS
  SELECT customer_id, id AS purchase_id, pageid, order_total, viewtime,
         TIMESTAMPTOSTRING(viewtime, 'yyyy-MM-dd HH:mm:ss.SSS') AS viewed_at
  FROM purchases_raw;

-- 3. Materialize: orders and revenue per country in 5-minute windows, kept up to date as purchases arrive.
--    (The WINDOW clause stands before the JOIN, as on the talk's slide; Rhei accepts that order as an extension.)
CREATE TABLE orders_by_country AS
  SELECT country, COUNT(*) AS order_count, SUM(order_total) AS order_total
  FROM purchases WINDOW TUMBLING (SIZE 5 MINUTES)
  LEFT JOIN user_profiles ON purchases.customer_id = user_profiles.customer_id
  GROUP BY country
  EMIT CHANGES;

-- 4. Serve: a pull query looks up the current answer for one key.
SELECT * FROM orders_by_country WHERE country = 'usa';
