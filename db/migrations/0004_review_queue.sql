CREATE TABLE `review_queue` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`profile_a` integer NOT NULL,
	`profile_b` integer,
	`identifier_type` text,
	`identifier_value` text,
	`reason` text NOT NULL,
	`score` real,
	`status` text DEFAULT 'open' NOT NULL,
	`created_at` integer NOT NULL,
	`decided_by` integer,
	`decided_at` integer,
	FOREIGN KEY (`profile_a`) REFERENCES `profiles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`profile_b`) REFERENCES `profiles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `review_queue_status_idx` ON `review_queue` (`status`);--> statement-breakpoint
CREATE INDEX `review_queue_identifier_idx` ON `review_queue` (`identifier_type`,`identifier_value`);--> statement-breakpoint
CREATE INDEX `review_queue_profiles_idx` ON `review_queue` (`profile_a`,`profile_b`);