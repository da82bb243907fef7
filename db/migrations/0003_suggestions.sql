CREATE TABLE `suggestion_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`profile_id` integer NOT NULL,
	`store_id` integer,
	`staff_id` integer,
	`style` text NOT NULL,
	`sku` text,
	`source` text NOT NULL,
	`rule_id` integer,
	`anchor_style` text,
	`anchor_at` integer,
	`status` text NOT NULL,
	`at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`converted_order_id` integer,
	`converted_at` integer,
	`revenue` integer,
	FOREIGN KEY (`profile_id`) REFERENCES `profiles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rule_id`) REFERENCES `suggestion_rules`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`converted_order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `suggestion_events_profile_idx` ON `suggestion_events` (`profile_id`,`style`,`at`);--> statement-breakpoint
CREATE INDEX `suggestion_events_at_idx` ON `suggestion_events` (`at`);--> statement-breakpoint
CREATE INDEX `suggestion_events_rule_idx` ON `suggestion_events` (`rule_id`,`at`);--> statement-breakpoint
CREATE TABLE `suggestion_rules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`anchor_kind` text NOT NULL,
	`anchor_value` text NOT NULL,
	`within_days` integer NOT NULL,
	`target_kind` text NOT NULL,
	`target_value` text NOT NULL,
	`priority` integer DEFAULT 50 NOT NULL,
	`store_ids` text,
	`active_from` integer,
	`active_to` integer,
	`message` text NOT NULL,
	`created_by` integer,
	`created_at` integer NOT NULL,
	`updated_by` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `suggestion_rules_status_idx` ON `suggestion_rules` (`status`);--> statement-breakpoint
CREATE INDEX `products_collection_idx` ON `products` (`collection`);