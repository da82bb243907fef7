-- Name search for the tablet: a trigram index over each live profile's name, kept in step by
-- triggers so every path that writes a profile (ingest, merge, erase) updates it.
CREATE VIRTUAL TABLE `profile_search` USING fts5(name, city, content='', contentless_delete=1, tokenize='trigram remove_diacritics 1');
--> statement-breakpoint
INSERT INTO `profile_search`(rowid, name, city)
  SELECT id, trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')), coalesce(city, '') FROM profiles
  WHERE merged_into IS NULL AND (first_name IS NOT NULL OR last_name IS NOT NULL);
--> statement-breakpoint
CREATE TRIGGER `profile_search_insert` AFTER INSERT ON `profiles`
WHEN new.merged_into IS NULL AND (new.first_name IS NOT NULL OR new.last_name IS NOT NULL)
BEGIN
  INSERT INTO `profile_search`(rowid, name, city) VALUES (new.id, trim(coalesce(new.first_name, '') || ' ' || coalesce(new.last_name, '')), coalesce(new.city, ''));
END;
--> statement-breakpoint
CREATE TRIGGER `profile_search_update` AFTER UPDATE OF first_name, last_name, city, merged_into ON `profiles`
WHEN old.first_name IS NOT new.first_name OR old.last_name IS NOT new.last_name OR old.city IS NOT new.city OR old.merged_into IS NOT new.merged_into
BEGIN
  DELETE FROM `profile_search` WHERE rowid = old.id;
  INSERT INTO `profile_search`(rowid, name, city)
    SELECT new.id, trim(coalesce(new.first_name, '') || ' ' || coalesce(new.last_name, '')), coalesce(new.city, '')
    WHERE new.merged_into IS NULL AND (new.first_name IS NOT NULL OR new.last_name IS NOT NULL);
END;
--> statement-breakpoint
CREATE TRIGGER `profile_search_delete` AFTER DELETE ON `profiles`
BEGIN
  DELETE FROM `profile_search` WHERE rowid = old.id;
END;
