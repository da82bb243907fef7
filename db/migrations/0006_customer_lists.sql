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