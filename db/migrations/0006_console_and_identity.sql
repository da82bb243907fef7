CREATE TABLE `api_keys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source_id` integer NOT NULL,
	`name` text NOT NULL,
	`prefix` text NOT NULL,
	`hash` text NOT NULL,
	`scope` text NOT NULL,
	`created_by` integer,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	`last_used_at` integer,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash_unique` ON `api_keys` (`hash`);--> statement-breakpoint
CREATE INDEX `api_keys_source_idx` ON `api_keys` (`source_id`);--> statement-breakpoint
CREATE TABLE `erasure_suppressions` (
	`hash` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `erasures` (
	`profile_id` integer PRIMARY KEY NOT NULL,
	`staff_id` integer,
	`at` integer NOT NULL,
	FOREIGN KEY (`profile_id`) REFERENCES `profiles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `follow_ups` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`store_id` integer NOT NULL,
	`profile_id` integer NOT NULL,
	`staff_id` integer NOT NULL,
	`title` text NOT NULL,
	`note` text,
	`due_on` text NOT NULL,
	`channel` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`snoozed_until` text,
	`created_by` integer,
	`created_at` integer NOT NULL,
	`done_by` integer,
	`done_at` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`profile_id`) REFERENCES `profiles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`done_by`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `follow_ups_staff_idx` ON `follow_ups` (`staff_id`,`status`,`due_on`);--> statement-breakpoint
CREATE INDEX `follow_ups_store_idx` ON `follow_ups` (`store_id`,`status`,`due_on`);--> statement-breakpoint
CREATE INDEX `follow_ups_profile_idx` ON `follow_ups` (`profile_id`,`status`);--> statement-breakpoint
CREATE TABLE `match_keys` (
	`key` text NOT NULL,
	`source_record_id` integer NOT NULL,
	PRIMARY KEY(`key`, `source_record_id`),
	FOREIGN KEY (`source_record_id`) REFERENCES `source_customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `match_keys_record_idx` ON `match_keys` (`source_record_id`);--> statement-breakpoint
CREATE TABLE `merge_event_records` (
	`merge_event_id` integer NOT NULL,
	`source_record_id` integer NOT NULL,
	PRIMARY KEY(`merge_event_id`, `source_record_id`),
	FOREIGN KEY (`merge_event_id`) REFERENCES `merge_events`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`source_record_id`) REFERENCES `source_customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `saved_customer_lists` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`store_id` integer NOT NULL,
	`name` text NOT NULL,
	`query` text NOT NULL,
	`created_by` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `saved_customer_lists_store_name_key` ON `saved_customer_lists` (`store_id`,`name`);--> statement-breakpoint
CREATE TABLE `store_customer_purchases` (
	`store_id` integer NOT NULL,
	`facet` text NOT NULL,
	`value` text NOT NULL,
	`profile_id` integer NOT NULL,
	PRIMARY KEY(`store_id`, `facet`, `value`, `profile_id`),
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`profile_id`) REFERENCES `profiles`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `store_customer_purchases_profile_idx` ON `store_customer_purchases` (`profile_id`);--> statement-breakpoint
CREATE TABLE `store_customer_stats` (
	`store_id` integer NOT NULL,
	`profile_id` integer NOT NULL,
	`first_purchase_at` integer DEFAULT 0 NOT NULL,
	`last_purchase_at` integer DEFAULT 0 NOT NULL,
	`order_count` integer DEFAULT 0 NOT NULL,
	`spend` integer DEFAULT 0 NOT NULL,
	`last_seen_at` integer DEFAULT 0 NOT NULL,
	`sort_name` text DEFAULT '' NOT NULL,
	`tier` text,
	`consent_email` integer DEFAULT false NOT NULL,
	`consent_sms` integer DEFAULT false NOT NULL,
	`consent_post` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`store_id`, `profile_id`),
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`profile_id`) REFERENCES `profiles`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `store_customer_stats_profile_idx` ON `store_customer_stats` (`profile_id`);--> statement-breakpoint
CREATE INDEX `store_customer_stats_last_purchase_idx` ON `store_customer_stats` (`store_id`,`last_purchase_at`,`profile_id`);--> statement-breakpoint
CREATE INDEX `store_customer_stats_spend_idx` ON `store_customer_stats` (`store_id`,`spend`,`profile_id`);--> statement-breakpoint
CREATE INDEX `store_customer_stats_name_idx` ON `store_customer_stats` (`store_id`,`sort_name`,`profile_id`);--> statement-breakpoint
CREATE INDEX `store_customer_stats_last_seen_idx` ON `store_customer_stats` (`store_id`,`last_seen_at`);--> statement-breakpoint
CREATE INDEX `store_customer_stats_tier_idx` ON `store_customer_stats` (`store_id`,`tier`);