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
CREATE INDEX `follow_ups_profile_idx` ON `follow_ups` (`profile_id`,`status`);