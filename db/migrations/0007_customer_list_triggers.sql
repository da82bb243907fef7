-- The managers' customer list keeps copies of a few golden-profile fields beside each store's
-- purchase figures so it can filter and sort on one table. These triggers keep the copies in step
-- with every path that writes a profile (ingest, consent taken in store, merge), as profile_search does.
CREATE TRIGGER `store_customer_stats_profile_update` AFTER UPDATE OF first_name, last_name, tier, consents, last_purchase_at ON `profiles`
WHEN old.first_name IS NOT new.first_name OR old.last_name IS NOT new.last_name OR old.tier IS NOT new.tier
  OR old.consents IS NOT new.consents OR old.last_purchase_at IS NOT new.last_purchase_at
BEGIN
  UPDATE `store_customer_stats` SET
    sort_name = lower(trim(coalesce(new.last_name, '') || ' ' || coalesce(new.first_name, ''))),
    tier = new.tier,
    consent_email = coalesce(json_extract(new.consents, '$.email.granted'), 0),
    consent_sms = coalesce(json_extract(new.consents, '$.sms.granted'), 0),
    consent_post = coalesce(json_extract(new.consents, '$.post.granted'), 0),
    last_seen_at = coalesce(new.last_purchase_at, 0)
  WHERE profile_id = new.id;
END;
--> statement-breakpoint
-- A merge moves every order to the survivor, so the absorbed profile's per-store figures fold into
-- the survivor's exactly (min, max, sums) without re-reading any order.
CREATE TRIGGER `store_customer_stats_profile_merge` AFTER UPDATE OF merged_into ON `profiles`
WHEN old.merged_into IS NULL AND new.merged_into IS NOT NULL
BEGIN
  INSERT INTO `store_customer_stats` (store_id, profile_id, first_purchase_at, last_purchase_at, order_count, spend, last_seen_at, sort_name, tier, consent_email, consent_sms, consent_post)
    SELECT s.store_id, p.id, s.first_purchase_at, s.last_purchase_at, s.order_count, s.spend, coalesce(p.last_purchase_at, 0),
      lower(trim(coalesce(p.last_name, '') || ' ' || coalesce(p.first_name, ''))), p.tier,
      coalesce(json_extract(p.consents, '$.email.granted'), 0), coalesce(json_extract(p.consents, '$.sms.granted'), 0), coalesce(json_extract(p.consents, '$.post.granted'), 0)
    FROM `store_customer_stats` s JOIN `profiles` p ON p.id = new.merged_into
    WHERE s.profile_id = old.id
  ON CONFLICT (store_id, profile_id) DO UPDATE SET
    first_purchase_at = CASE WHEN excluded.first_purchase_at = 0 THEN first_purchase_at WHEN first_purchase_at = 0 THEN excluded.first_purchase_at ELSE min(first_purchase_at, excluded.first_purchase_at) END,
    last_purchase_at = max(last_purchase_at, excluded.last_purchase_at),
    order_count = order_count + excluded.order_count,
    spend = spend + excluded.spend;
  DELETE FROM `store_customer_stats` WHERE profile_id = old.id;
  INSERT OR IGNORE INTO `store_customer_purchases` (store_id, facet, value, profile_id)
    SELECT store_id, facet, value, new.merged_into FROM `store_customer_purchases` WHERE profile_id = old.id;
  DELETE FROM `store_customer_purchases` WHERE profile_id = old.id;
END;
