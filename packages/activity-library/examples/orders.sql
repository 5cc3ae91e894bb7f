-- A sample orders table for the `orders.lookup` example activity (the shop's own database in real life).
CREATE TABLE IF NOT EXISTS public.orders (
  order_number text PRIMARY KEY,
  customer_id  text NOT NULL,
  status       text NOT NULL,
  carrier      text,
  eta          date,
  total        numeric(12, 2),
  currency     text
);
INSERT INTO public.orders (order_number, customer_id, status, carrier, eta, total, currency) VALUES
  ('A-10042', 'cust-1', 'shipped', 'DHL', CURRENT_DATE + 2, 59.90, 'GBP'),
  ('A-10043', 'cust-2', 'processing', NULL, NULL, 120.00, 'GBP')
ON CONFLICT (order_number) DO NOTHING;
