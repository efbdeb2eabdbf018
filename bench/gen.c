/*
 * case-bench-gen: a reproducible synthetic district for the benchmark.
 *
 *   case-bench-gen units            the registry, as CSV for case-admin
 *   case-bench-gen cases N [END]    N cases as CSV for case-open --file,
 *                                   opened over the three years before END
 *                                   (epoch seconds; default 2026-05-01)
 *   case-bench-gen time CMD [ARG]...
 *                                   run CMD with its output thrown away and
 *                                   print its wall time in microseconds; a
 *                                   shell's date(1) around it would add a
 *                                   process of its own to every figure
 *
 * Places are four levels deep (district/street/community/grid), text is
 * Chinese, and every run with the same arguments prints the same bytes:
 * the generator is a fixed xorshift, not the C library's rand().
 */
#include <sys/wait.h>

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DISTRICTS 2
#define STREETS 6   /* per district */
#define COMMS 8     /* per street */
#define GRIDS 12    /* per community */

static uint64_t state = 0x9e3779b97f4a7c15ULL;

static uint64_t
next(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

static unsigned
pick(unsigned n)
{
	return (unsigned)(next() % n);
}

static const char *const districts[] = {"chaoyang", "haidian"};
static const char *const district_zh[] = {"朝阳区", "海淀区"};
static const char *const street_zh[] = {"前进街道", "和平街道", "建设街道",
					"光明街道", "团结街道", "新华街道"};
static const char *const comm_zh[] = {"华宇社区", "幸福社区", "阳光社区",
				      "锦绣社区", "翠微社区", "春晖社区",
				      "金源社区", "望京社区"};

struct kind {
	const char *kind;
	const char *cats[4];
	const char *what[4];
};

static const struct kind kinds[] = {
	{"dispute",
	 {"noise", "wall", "parking", "pets"},
	 {"夜市音响扰民，居民夜里无法入睡", "邻居因院墙归属发生纠纷",
	  "小区车位被长期占用引发争吵", "楼上养狗噪音和卫生问题引发矛盾"}},
	{"hazard",
	 {"gas", "fire-exit", "wiring", "structure"},
	 {"楼道里有明显的煤气味", "消防通道被杂物和电动车堵塞",
	  "地下室电线老化裸露", "外墙瓷砖松动有坠落危险"}},
	{"request",
	 {"lamp", "elderly", "repair", "garbage"},
	 {"路灯不亮，夜间出行不便", "独居老人需要定期上门帮助",
	  "楼顶漏水需要维修", "垃圾清运不及时，气味很大"}},
};

static const char *const priorities[] = {"urgent", "high", "normal",
					 "normal", "normal", "low"};
static const char *const sources[] = {"hotline", "hotline", "walk-in",
				      "patrol", "online", "referral"};
static const char *const surnames[] = {"王", "李", "张", "刘", "陈",
				       "杨", "赵", "黄", "周", "吴"};

static void
place(char *buf, size_t n, unsigned d, unsigned s, unsigned c, unsigned g)
{
	snprintf(buf, n, "%s/s%u/c%u/g%02u", districts[d], s + 1, c + 1, g + 1);
}

static void
iso(char *buf, size_t n, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Units: a police station and a mediation office per street, a community
 * office per community, and a grid worker per grid, each covering its
 * place; one law firm without a place. */
static void
units(void)
{
	unsigned d, s, c, g;
	char p[96];

	puts("code,name,type,parent,place,chief,contact");
	puts("law-hengtai,恒泰律师事务所,lawfirm,,,,010-8888-0000");
	for (d = 0; d < DISTRICTS; d++)
		for (s = 0; s < STREETS; s++) {
			snprintf(p, sizeof p, "%s/s%u", districts[d], s + 1);
			printf("pcs-%s-%u,%s%s派出所,police,,,%s所长,010-6%u%02u-0110\n",
			       districts[d], s + 1, district_zh[d], street_zh[s],
			       surnames[(d + s) % 10], d, s);
			printf("st-%s-%u,%s,department,,%s,%s主任,010-6%u%02u-0001\n",
			       districts[d], s + 1, street_zh[s], p,
			       surnames[(d + s + 3) % 10], d, s);
			printf("med-%s-%u,%s调解室,judicial,st-%s-%u,,,010-6%u%02u-2200\n",
			       districts[d], s + 1, street_zh[s], districts[d],
			       s + 1, d, s);
			for (c = 0; c < COMMS; c++) {
				snprintf(p, sizeof p, "%s/s%u/c%u", districts[d],
					 s + 1, c + 1);
				printf("cm-%s-%u-%u,%s,community,st-%s-%u,%s,,\n",
				       districts[d], s + 1, c + 1, comm_zh[c],
				       districts[d], s + 1, p);
				for (g = 0; g < GRIDS; g++) {
					place(p, sizeof p, d, s, c, g);
					printf("g-%s-%u-%u-%u,%s网格员,grid,cm-%s-%u-%u,"
					       "%s,,\n",
					       districts[d], s + 1, c + 1, g + 1,
					       surnames[g % 10], districts[d], s + 1,
					       c + 1, p);
				}
			}
		}
}

static void
cases(long n, int64_t end)
{
	const int64_t span = 3LL * 365 * 86400;
	char p[96], t[32];
	long i;

	puts("ref,kind,category,priority,place,address,source,reporter,contact,"
	     "opened_at,summary,description");
	for (i = 0; i < n; i++) {
		const struct kind *k = &kinds[pick(3)];
		unsigned d = pick(DISTRICTS), s = pick(STREETS), c = pick(COMMS),
			 g = pick(GRIDS), w = pick(4);
		/* Opening times rise through the file, as in a real export. */
		int64_t at = end - span + (int64_t)((double)span * i / n) +
			     pick(3600);

		place(p, sizeof p, d, s, c, g);
		iso(t, sizeof t, at);
		printf("HL-%08ld,%s,%s,%s,%s,%s%u号楼%u单元,%s,%s先生,"
		       "139%08u,%s,%s%s,\"%s%s%s，%s居民反映%s。\"\n",
		       i + 1, k->kind, k->cats[w], priorities[pick(6)], p,
		       comm_zh[c], pick(30) + 1, pick(6) + 1, sources[pick(6)],
		       surnames[pick(10)], pick(100000000), t, comm_zh[c],
		       k->what[w], district_zh[d], street_zh[s], comm_zh[c],
		       surnames[pick(10)], k->what[w]);
	}
}

static int
timed(char **argv)
{
	struct timespec t0, t1;
	int null = open("/dev/null", O_WRONLY), status;
	pid_t pid;

	if (null < 0) {
		perror("case-bench-gen: /dev/null");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pid = fork()) < 0) {
		perror("case-bench-gen: fork");
		return 1;
	}
	if (pid == 0) {
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0) {
		perror("case-bench-gen: waitpid");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%lld\n", (long long)(t1.tv_sec - t0.tv_sec) * 1000000 +
				(t1.tv_nsec - t0.tv_nsec) / 1000);
	return !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}

int
main(int argc, char *argv[])
{
	char *end;

	if (argc >= 2 && strcmp(argv[1], "units") == 0 && argc == 2) {
		units();
		return fflush(stdout) != 0;
	}
	if (argc >= 3 && argc <= 4 && strcmp(argv[1], "cases") == 0) {
		long n = strtol(argv[2], &end, 10);
		int64_t stop = argc == 4 ? strtoll(argv[3], NULL, 10)
					 : 1777593600LL;

		if (*end != '\0' || n < 1) {
			fprintf(stderr, "case-bench-gen: bad count '%s'\n", argv[2]);
			return 2;
		}
		cases(n, stop);
		return fflush(stdout) != 0;
	}
	if (argc >= 3 && strcmp(argv[1], "time") == 0)
		return timed(argv + 2);
	fputs("usage: case-bench-gen units\n"
	      "       case-bench-gen cases count [end]\n"
	      "       case-bench-gen time command [argument ...]\n",
	      stderr);
	return 2;
}
