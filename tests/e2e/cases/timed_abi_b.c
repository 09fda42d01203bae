/* The address of timed_abi.c's op `address`, taken in another translation unit. */
void *address(void);
void *address_elsewhere(void) { return (void *)address; }
