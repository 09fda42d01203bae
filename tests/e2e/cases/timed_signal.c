/* A signal handler that enters the timed op its thread is in (reentrancy on one thread).
 * First one call of each op is single-stepped (the trap flag): at every instruction of it, of
 * its count, its timed copy and the runtime's timing, a SIGTRAP handler enters both ops, so
 * the handler interrupts each step of each update once. Then a helper thread sends the main
 * thread 40,000 signals, one at a time, while it calls the ops 2,000,000 times, and each
 * handler enters each op four times. The calls are made up to fixed totals, so the counts do
 * not depend on how many instructions were stepped: every entry counts and, at timed=1, is
 * timed and returns a duration; at timed=4 one entry in 4 is. */
#define _GNU_SOURCE /* REG_EFL */
#include "zaph.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

#define CALLS 2000000
#define SIGNALS 40000
#define TOTAL 2400000

static volatile int sink;
static volatile int stepping, stepped, handled;
static pthread_t main_thread;
static long calls;

ZAPH_OP static int first(int x) { return x; }
ZAPH_OP_WITH("timed=1") static int every(int x) { return sink += x; }
ZAPH_OP_WITH("timed=4") static int quarter(int x) { return sink += x; }

static void both(int x) {
  every(x);
  quarter(x);
  __atomic_fetch_add(&calls, 1, __ATOMIC_RELAXED); /* one instruction: a handler may interrupt it */
}

static void on_trap(int sig, siginfo_t *info, void *context) {
  ucontext_t *uc = context;
  if (!stepping) {
    uc->uc_mcontext.gregs[REG_EFL] &= ~0x100; /* the trap flag */
    return;
  }
  both(1);
  stepped++;
  (void)sig, (void)info;
}

static void on_signal(int sig) {
  for (int i = 0; i < 4; i++)
    both(1);
  handled++;
  (void)sig;
}

static void *sender(void *arg) {
  for (int k = 0; k < SIGNALS; k++) {
    pthread_kill(main_thread, SIGUSR1);
    while (handled <= k)
      ;
  }
  return arg;
}

int main(void) {
  first(0); /* the thread's first entry, on the runtime's slow path: counted, never timed */
  both(0);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_trap;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGTRAP, &sa, 0);
  stepping = 1;
  __asm__ volatile("pushfq; orq $0x100, (%%rsp); popfq" ::: "memory", "cc");
  every(0);
  quarter(0);
  stepping = 0;
  __atomic_fetch_add(&calls, 1, __ATOMIC_RELAXED); /* one instruction: a handler may interrupt it */
  main_thread = pthread_self();
  signal(SIGUSR1, on_signal);
  pthread_t t;
  pthread_create(&t, 0, sender, 0);
  for (int i = 0; i < CALLS; i++)
    both(0);
  pthread_join(t, 0);
  while (calls < TOTAL)
    both(0);
  printf("stepped: %s; %d signals handled; %ld calls of each op\n",
         stepped > 10 ? "over 10 instructions" : "too few", handled, calls);
  return 0;
}
