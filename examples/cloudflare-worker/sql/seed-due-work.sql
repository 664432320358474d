-- Due work in the maintenance store (MIKA_DB), as the shop's code would leave it, around the
-- time the trigger is fired with: T = 2026-01-01T00:00:00Z = 1767225600000 (times are stored as
-- integer milliseconds). Each kind comes in a pair: one row due a minute before T, which the
-- sweep must move, and one due 30 s after T, which it must leave alone. T is long past when you
-- fire the trigger, so a sweep that used the wall clock instead of T would move both.
insert into mika_email_outbox (id, status, to_address, subject, text_body, metadata,
    attempt_count, max_attempts, next_attempt_at, created_at, updated_at)
  values
    ('email-due', 'queued', 'ada@example.com', 'Your order', 'Thanks!', '{}', 0, 5,
      1767225540000, 1767222000000, 1767222000000),
    ('email-later', 'queued', 'ada@example.com', 'Your receipt', 'Later.', '{}', 0, 5,
      1767225630000, 1767222000000, 1767222000000);

insert into mika_ephemeral_records (kind, key, expires_at, created_at)
  values
    ('token', 'token-expired', 1767225540000, 1767222000000),
    ('token', 'token-live', 1767225630000, 1767222000000);

insert into mika_stock_items (id, quantity_on_hand, quantity_reserved, updated_at)
  values ('sku-tea', 10, 4, 1767222000000);

insert into mika_stock_reservations (id, stock_item_id, quantity, status, expires_at,
    created_at, updated_at)
  values
    ('reservation-expired', 'sku-tea', 3, 'active', 1767225540000, 1767222000000, 1767222000000),
    ('reservation-live', 'sku-tea', 1, 'active', 1767225630000, 1767222000000, 1767222000000);
