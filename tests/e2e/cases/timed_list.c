// A list file times ops too: timed=N on a line, the first matching line's rate.
// zaph-e2e list: timed.list
int lookup(int x) { return x + 1; }
int plain(int x) { return x * 2; }
int warm_up(int x) { return x; }

int main(void) {
  warm_up(0); // the thread's first entry: counted on the slow path, never timed
  int s = 0;
  for (int i = 0; i < 8; i++)
    s += lookup(plain(i));
  return s == 64 ? 0 : 1;
}
