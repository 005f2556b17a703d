/* timeutil.c: the core's clock and calendar arithmetic. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "timeutil.h"

static time_t fixed_now;

time_t md_time_now(void)
{
	return fixed_now ? fixed_now : time(NULL);
}

void md_time_set(time_t t)
{
	fixed_now = t;
}

void md_time_iso(time_t t, char *buf, size_t n)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void md_date_local(time_t t, char *buf, size_t n)
{
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%d", &tm);
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

int md_date_parse_iso(const char *s, int *y, int *m, int *d)
{
	int yy, mm, dd, used = 0;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	if (sscanf(s, "%4d-%2d-%2d%n", &yy, &mm, &dd, &used) != 3 || used != 10)
		return -1;
	if (yy < 1 || mm < 1 || mm > 12 || dd < 1 || dd > month_days(yy, mm))
		return -1;
	if (y)
		*y = yy;
	if (m)
		*m = mm;
	if (d)
		*d = dd;
	return 0;
}

/* Howard Hinnant's days_from_civil. */
long md_days_from_civil(int y, int m, int d)
{
	long yy = y - (m <= 2);
	long era = (yy >= 0 ? yy : yy - 399) / 400;
	long yoe = yy - era * 400;
	long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void md_time_local_text(const char *iso, int seconds, char *buf, size_t n)
{
	int y, mo, d, hh, mi, ss;
	struct tm tm;
	time_t t;

	if (!iso || sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &hh, &mi, &ss) != 6) {
		snprintf(buf, n, "%s", iso ? iso : "");
		return;
	}
	t = (time_t)md_days_from_civil(y, mo, d) * 86400 + hh * 3600 + mi * 60 + ss;
	localtime_r(&t, &tm);
	strftime(buf, n, seconds ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d %H:%M", &tm);
}
