/*
 * The machine's floor for the load benchmark: the same traffic as the simulator's calls (one TCP
 * connection per call on loopback, a 334-byte frame every 20 ms each way), sent and echoed by the
 * leanest programs there are: C, epoll, no WebSocket framing, no JVM. Two echo processes share
 * the listener and the client sends from two clock threads and reads on a third, as Grizzly's two
 * selector threads and the simulator do. What this costs in CPU is what the kernel's loopback TCP
 * costs on this machine, and no server in any language does better.
 *
 *   cc -O2 -pthread -o target/floor bench/floor.c && target/floor CONNECTIONS SECONDS
 *
 * Prints one line of JSON on stdout: frames each way, client and echo CPU (user and system, in
 * cores), the round trip's p50/p99/p99.9/max in ms, and how late the client's 1 ms clock ticked
 * (p99); and the same as a row of bench/floor.sh's Markdown table on stderr.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FRAME 334          /* 6-byte client frame header + 8-byte sequence + 320 bytes of 8 kHz L16 */
#define PHASES 20          /* frames of all connections spread over the 20 ms period */
#define BUCKETS 200000     /* round-trip histogram: 1 us buckets up to 200 ms */
#define THREADS 2          /* as the simulator's clock threads and Grizzly's selector threads here */

static int n_conn;
static int *fds;
static volatile int running = 1;
static uint64_t histogram[BUCKETS + 1];
static uint64_t late_histogram[BUCKETS + 1];
static uint64_t frames_sent, frames_echoed;

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t) t.tv_sec * 1000000000ull + t.tv_nsec;
}

static void die(const char *what) {
    perror(what);
    exit(1);
}

static void echo_server(int listener) {
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = listener};
    epoll_ctl(ep, EPOLL_CTL_ADD, listener, &ev);
    struct epoll_event events[256];
    char buf[16384];
    for (;;) {
        int n = epoll_wait(ep, events, 256, -1);
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            if (fd == listener) {
                int c = accept4(listener, NULL, NULL, 0);
                if (c < 0) continue; /* another echo process took it */
                int one = 1;
                setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                struct epoll_event cev = {.events = EPOLLIN, .data.fd = c};
                epoll_ctl(ep, EPOLL_CTL_ADD, c, &cev);
                continue;
            }
            ssize_t r = read(fd, buf, sizeof buf);
            if (r <= 0) {
                close(fd);
                continue;
            }
            /* Frames are small and the peer reads on time: a short write does not happen here. */
            if (write(fd, buf, r) != r) die("echo write");
        }
    }
}

/*
 * Every 1 ms, one phase's connections each send a frame stamped with its send time. THREADS
 * threads take alternate ticks, as the simulator's clock threads do, so one slow tick does not
 * hold up the next.
 */
static uint64_t clock_start;

static void *clock_thread(void *arg) {
    int offset = (int) (intptr_t) arg;
    char frame[FRAME];
    memset(frame, 0x55, sizeof frame);
    for (uint64_t tick = offset; running; tick += THREADS) {
        uint64_t start = clock_start;
        uint64_t due = start + tick * 1000000;
        struct timespec t = {.tv_sec = due / 1000000000ull, .tv_nsec = due % 1000000000ull};
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL);
        uint64_t late = (now_ns() - due) / 1000;
        __atomic_fetch_add(&late_histogram[late < BUCKETS ? late : BUCKETS], 1, __ATOMIC_RELAXED);
        for (int c = (int) (tick % PHASES); c < n_conn; c += PHASES) {
            uint64_t sent = now_ns();
            memcpy(frame, &sent, sizeof sent);
            if (write(fds[c], frame, FRAME) != FRAME) die("client write");
            __atomic_fetch_add(&frames_sent, 1, __ATOMIC_RELAXED);
        }
    }
    return NULL;
}

static double percentile(const uint64_t *h, double p) {
    uint64_t total = 0, seen = 0;
    for (int i = 0; i <= BUCKETS; i++) total += h[i];
    if (total == 0) return 0;
    for (int i = 0; i <= BUCKETS; i++) {
        seen += h[i];
        if (seen >= total * p) return i / 1000.0;
    }
    return BUCKETS / 1000.0;
}

/* User and system clock ticks of all echo processes so far. */
static void echo_cpu(const pid_t *servers, unsigned long *user, unsigned long *sys) {
    *user = *sys = 0;
    for (int i = 0; i < THREADS; i++) {
        char path[64];
        unsigned long u, s;
        snprintf(path, sizeof path, "/proc/%d/stat", servers[i]);
        FILE *f = fopen(path, "r");
        if (!f || fscanf(f, "%*d %*s %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &u, &s) != 2) die("stat");
        fclose(f);
        *user += u;
        *sys += s;
    }
}

static double cpu_seconds(struct timeval t) {
    return t.tv_sec + t.tv_usec / 1e6;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: floor CONNECTIONS SECONDS\n");
        return 2;
    }
    n_conn = atoi(argv[1]);
    int seconds = atoi(argv[2]);
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof addr;
    if (bind(listener, (struct sockaddr *) &addr, sizeof addr) || listen(listener, 4096)
            || getsockname(listener, (struct sockaddr *) &addr, &len)) die("listen");
    /* THREADS echo processes share the listener; each serves the connections it accepts. */
    if (fcntl(listener, F_SETFL, O_NONBLOCK)) die("listener");
    pid_t servers[THREADS];
    for (int i = 0; i < THREADS; i++) {
        servers[i] = fork();
        if (servers[i] == 0) echo_server(listener);
    }
    close(listener);

    fds = calloc(n_conn, sizeof *fds);
    int ep = epoll_create1(0);
    for (int c = 0; c < n_conn; c++) {
        fds[c] = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(fds[c], (struct sockaddr *) &addr, sizeof addr)) die("connect");
        int one = 1;
        setsockopt(fds[c], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = c};
        epoll_ctl(ep, EPOLL_CTL_ADD, fds[c], &ev);
    }
    int *have = calloc(n_conn, sizeof *have);
    char (*partial)[FRAME] = calloc(n_conn, FRAME);

    struct rusage self0, self1;
    getrusage(RUSAGE_SELF, &self0);
    unsigned long su0 = 0, ss0 = 0, su1 = 0, ss1 = 0;
    echo_cpu(servers, &su0, &ss0);
    uint64_t begin = now_ns(), end = begin + (uint64_t) seconds * 1000000000ull;

    clock_start = now_ns() + 1000000;
    pthread_t clocks[THREADS];
    for (int i = 0; i < THREADS; i++) pthread_create(&clocks[i], NULL, clock_thread, (void *) (intptr_t) i);
    struct epoll_event events[256];
    while (now_ns() < end) {
        int n = epoll_wait(ep, events, 256, 100);
        for (int i = 0; i < n; i++) {
            int c = events[i].data.u32;
            char buf[16384];
            ssize_t r = read(fds[c], buf, sizeof buf);
            if (r <= 0) die("client read");
            uint64_t at = now_ns();
            for (ssize_t off = 0; off < r;) {
                int take = FRAME - have[c] < r - off ? FRAME - have[c] : (int) (r - off);
                memcpy(partial[c] + have[c], buf + off, take);
                have[c] += take;
                off += take;
                if (have[c] == FRAME) {
                    uint64_t sent;
                    memcpy(&sent, partial[c], sizeof sent);
                    uint64_t rtt = (at - sent) / 1000;
                    histogram[rtt < BUCKETS ? rtt : BUCKETS]++;
                    frames_echoed++;
                    have[c] = 0;
                }
            }
        }
    }
    running = 0;
    for (int i = 0; i < THREADS; i++) pthread_join(clocks[i], NULL);
    double wall = (now_ns() - begin) / 1e9;
    getrusage(RUSAGE_SELF, &self1);
    echo_cpu(servers, &su1, &ss1);
    for (int i = 0; i < THREADS; i++) {
        kill(servers[i], SIGKILL);
        waitpid(servers[i], NULL, 0);
    }
    long ticks = sysconf(_SC_CLK_TCK);
    uint64_t max = 0;
    for (int i = 0; i <= BUCKETS; i++) if (histogram[i]) max = i;
    printf("{\"connections\": %d, \"seconds\": %.1f, \"framesSent\": %lu, \"framesEchoed\": %lu, "
           "\"clientUserCores\": %.2f, \"clientSysCores\": %.2f, \"echoUserCores\": %.2f, \"echoSysCores\": %.2f, "
           "\"rttMs\": {\"p50\": %.3f, \"p99\": %.3f, \"p99.9\": %.3f, \"max\": %.3f}, \"clockLateP99Ms\": %.3f}\n",
           n_conn, wall, (unsigned long) frames_sent, (unsigned long) frames_echoed,
           (cpu_seconds(self1.ru_utime) - cpu_seconds(self0.ru_utime)) / wall,
           (cpu_seconds(self1.ru_stime) - cpu_seconds(self0.ru_stime)) / wall,
           (double) (su1 - su0) / ticks / wall, (double) (ss1 - ss0) / ticks / wall,
           percentile(histogram, 0.5), percentile(histogram, 0.99), percentile(histogram, 0.999), max / 1000.0,
           percentile(late_histogram, 0.99));
    fprintf(stderr, "| %d | %lu / %lu | %.2f / %.2f / %.2f / %.2f | %.2f + %.2f | %.2f + %.2f | %.2f |\n",
            n_conn, (unsigned long) frames_sent, (unsigned long) frames_echoed,
            percentile(histogram, 0.5), percentile(histogram, 0.99), percentile(histogram, 0.999), max / 1000.0,
            (cpu_seconds(self1.ru_utime) - cpu_seconds(self0.ru_utime)) / wall,
            (cpu_seconds(self1.ru_stime) - cpu_seconds(self0.ru_stime)) / wall,
            (double) (su1 - su0) / ticks / wall, (double) (ss1 - ss0) / ticks / wall, percentile(late_histogram, 0.99));
    return 0;
}
