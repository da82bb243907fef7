CREATE TABLE `style_trends` (
	`style` text PRIMARY KEY NOT NULL,
	`season_orders` integer NOT NULL,
	`year_orders` integer NOT NULL,
	`season_to` integer NOT NULL,
	`computed_at` integer NOT NULL
);
