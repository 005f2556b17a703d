/* migrations.h: the schema steps embedded from data/migrations. */
#ifndef MD_MIGRATIONS_H
#define MD_MIGRATIONS_H

struct md_migration {
	int version;
	const char *name;
	const char *sql;
};

/* In version order, terminated by version 0. */
extern const struct md_migration md_migrations[];

#endif
