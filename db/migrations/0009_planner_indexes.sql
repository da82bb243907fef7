DROP INDEX `api_keys_source_idx`;--> statement-breakpoint
DROP INDEX `order_lines_product_idx`;--> statement-breakpoint
DROP INDEX `suggestion_rules_status_idx`;--> statement-breakpoint
CREATE INDEX `customer_assignments_profile_idx` ON `customer_assignments` (`profile_id`);--> statement-breakpoint
CREATE INDEX `interactions_source_record_idx` ON `interactions` (`source_record_id`);