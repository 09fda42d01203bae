// The counting half of the GCC plugin: include/zaph_abi.h's zaph_count_entry() in GIMPLE at
// the entry of each op, block by block, with the cold calls through the runtime's trampolines.
#include "plugin.h"

namespace zaph_gcc {

// Builds GIMPLE statements at the end of one basic block.
struct Emitter {
  gimple_stmt_iterator Gsi;
  explicit Emitter(basic_block BB) : Gsi(gsi_last_bb(BB)) {}
  void add(gimple *G) { gsi_insert_after(&Gsi, G, GSI_NEW_STMT); }
  tree assign(tree Type, tree Rhs) {
    tree Lhs = make_ssa_name(Type);
    add(gimple_build_assign(Lhs, Rhs));
    return Lhs;
  }
  tree op(tree Type, tree_code Code, tree A, tree B = NULL_TREE) {
    tree Lhs = make_ssa_name(Type);
    add(B ? gimple_build_assign(Lhs, Code, A, B) : gimple_build_assign(Lhs, Code, A));
    return Lhs;
  }
  void store(tree Ref, tree V) { add(gimple_build_assign(Ref, V)); }
};

// The 64-bit word at Offset bytes into the memory Ptr points at, with the alias set of char:
// the runtime reads the same words through other types.
tree word(tree Ptr, unsigned Offset) {
  return build2(MEM_REF, uint64_type_node, Ptr,
                build_int_cst(build_pointer_type(char_type_node), Offset));
}

// Splits off a new empty block on the single edge out of BB and returns it.
basic_block blockAfter(basic_block BB) { return split_edge(single_succ_edge(BB)); }

// The runtime's struct zaph_tls, declared when first used: the symbol table forgets the TLS
// model of an external variable that nothing referred to when it last removed unreachable ones.
tree runtimeTls() {
  if (!State.Tls) {
    State.Tls = build_decl(BUILTINS_LOCATION, VAR_DECL, get_identifier(ZAPH_TLS_SYMBOL),
                           build_array_type_nelts(uint64_type_node, sizeof(zaph_tls) / 8));
    TREE_PUBLIC(State.Tls) = 1;
    DECL_EXTERNAL(State.Tls) = 1;
    DECL_ARTIFICIAL(State.Tls) = 1;
    TREE_ADDRESSABLE(State.Tls) = 1;
    set_decl_tls_model(State.Tls, TLS_MODEL_INITIAL_EXEC);
  }
  return State.Tls;
}

// Whether the code is x86-64's, where the plugin writes its cold calls and the timed count as
// inline assembly.
bool x86_64() { return TYPE_PRECISION(ptr_type_node) == 64 && TARGET_64BIT; }

// A call of the runtime's slow path or shared-identity hook. On x86-64 it is inline assembly that calls the runtime's trampoline
// (runtime/trampoline_x86_64.S: the module in %r10, the index in %r11d, the red zone skipped),
// which saves every register but %r10, %r11, the flags and the vector registers: GCC then sees
// no call, and a function needs neither a stack frame nor saved registers for its cold path.
// Through the GOT, filled at load time: a lazily bound PLT entry would clobber %r10 and %r11.
// Elsewhere it is a plain call of the function.
gimple *coldCall(tree Function, const char *Trampoline, unsigned Index, tree Slot) {
  const ModuleState &S = State;
  if (!x86_64()) {
    gcall *Call = gimple_build_call(Function, 3, build_fold_addr_expr(S.Module),
                                    build_int_cst(uint32_type_node, Index), Slot);
    gimple_call_set_nothrow(Call, true);
    return Call;
  }
  std::string Asm = "leaq %0, %%r10\n\tleaq -128(%%rsp), %%rsp\n\tmovl $" +
                    std::to_string(Index) + ", %%r11d\n\tcall *" + Trampoline +
                    "@GOTPCREL(%%rip)\n\tleaq 128(%%rsp), %%rsp";
  vec<tree, va_gc> *Inputs = NULL, *Clobbers = NULL;
  // The module as a memory operand: its address is formed in the cold path, never kept in a
  // register across the function.
  vec_safe_push(Inputs, build_tree_list(build_tree_list(NULL_TREE, build_string(2, "m")),
                                        S.Module));
  auto Clobber = [&](const std::string &Reg) {
    vec_safe_push(Clobbers,
                  build_tree_list(NULL_TREE, build_string(Reg.size() + 1, Reg.c_str())));
  };
  for (const char *Reg : {"r10", "r11", "memory", "cc"})
    Clobber(Reg);
  // The runtime may use every vector register the target has (glibc's string functions use
  // the upper sixteen and the mask registers under AVX-512).
  const bool Avx512 = TARGET_AVX512F;
  for (int X = 0; X < (Avx512 ? 32 : 16); X++)
    Clobber("xmm" + std::to_string(X));
  for (int K = 0; Avx512 && K < 8; K++)
    Clobber("k" + std::to_string(K));
  gasm *Call = gimple_build_asm_vec(ggc_strdup(Asm.c_str()), Inputs, NULL, Clobbers, NULL);
  gimple_asm_set_volatile(Call, true);
  return Call;
}

// Inserts at the function's entry, for op Index:
//   [__zaph_request_enter();]                                      a request function
//   hot = &__zaph_counters[Index], epoch = __zaph_exe_epoch        executable module
//   hot = self + module.base + Index * 32,
//   epoch = *(&__zaph_tls + module.epoch_offset)                   block module
//   zaph_count_entry(&module, Index, hot, epoch)                   (include/zaph_abi.h)
// block by block, as pass/ZaphPass.cpp's instrument() does; the two cold calls go through
// coldCall().
class BlockBuilder {
  function *Fn;
  basic_block After;

public:
  BlockBuilder(function *Fn, basic_block First) : Fn(Fn), After(First) {}

  // A new empty block, in the loop of the function's entry.
  basic_block block() {
    After = create_empty_bb(After);
    if (current_loops)
      add_bb_to_loop(After, ENTRY_BLOCK_PTR_FOR_FN(Fn)->next_bb->loop_father);
    return After;
  }
  // Ends From with `if (A Code B)`: IfTrue with the given probability, else IfFalse.
  void branch(basic_block From, tree_code Code, tree A, tree B, basic_block IfTrue,
              basic_block IfFalse, profile_probability Likely) {
    Emitter(From).add(gimple_build_cond(Code, A, B, NULL_TREE, NULL_TREE));
    make_edge(From, IfTrue, EDGE_TRUE_VALUE)->probability = Likely;
    make_edge(From, IfFalse, EDGE_FALSE_VALUE)->probability = Likely.invert();
  }
  void jump(basic_block From, basic_block To) { make_single_succ_edge(From, To, EDGE_FALLTHRU); }
};

// *Word += Delta (or -= when Subtract), in BB. Unoptimized code keeps a load and a store
// apart, and a signal handler entering the same op on the same thread between them would lose
// its entries: there it is one read-modify-write instruction, a relaxed __atomic_fetch_add.
void addTo(basic_block BB, tree Slot, unsigned Word, tree Delta, bool Subtract = false) {
  Emitter E(BB);
  if (!optimize) {
    tree Fn = builtin_decl_explicit(Subtract ? BUILT_IN_ATOMIC_FETCH_SUB_8
                                             : BUILT_IN_ATOMIC_FETCH_ADD_8);
    tree At = E.op(TREE_TYPE(Slot), POINTER_PLUS_EXPR, Slot, size_int(Word));
    E.add(gimple_build_call(Fn, 3, At, Delta, build_int_cst(integer_type_node, 0)));
    return;
  }
  tree Old = E.assign(uint64_type_node, word(Slot, Word));
  E.store(word(Slot, Word), E.op(uint64_type_node, Subtract ? MINUS_EXPR : PLUS_EXPR, Old, Delta));
}

tree loadWord(basic_block BB, tree Slot, unsigned Word) {
  return Emitter(BB).assign(uint64_type_node, word(Slot, Word));
}

// __atomic_load_n((uint64_t *)Ptr, __ATOMIC_RELAXED), a plain move.
tree relaxedLoad(Emitter &E, tree Ptr) {
  tree Load = builtin_decl_explicit(BUILT_IN_ATOMIC_LOAD_8);
  tree Value = make_ssa_name(TREE_TYPE(TREE_TYPE(Load)));
  gcall *Call = gimple_build_call(Load, 2, Ptr, build_int_cst(integer_type_node, 0));
  gimple_call_set_lhs(Call, Value);
  E.add(Call);
  return E.op(uint64_type_node, NOP_EXPR, Value);
}

// The timed copy of op Index (docs/latency.md, "Sampling"): its body as it is now, before the
// count is inserted, as a local function GCC never inlines, that calls __zaph_time_begin at
// its entry and __zaph_time_end before each return (before the call of a return by a
// must-tail call, which has to stay right before its return). The entry that carries calls it
// instead of running its own body, so every inlined copy of the op times through it. An
// unwind or longjmp out of it leaves the entry begun and unfinished.
tree timedCopy(function *Fn, unsigned Index) {
  const ModuleState &S = State;
  cgraph_node *Node = cgraph_node::get(Fn->decl);
  cgraph_node *Copy = Node->create_version_clone_with_body(vNULL, NULL, NULL, NULL, NULL,
                                                           "zaph_timed", NULL_TREE,
                                                           /*version_decl=*/false);
  if (!Copy) { // the IPA pass made sure it could be copied (module.cc, timingRefused)
    warning_at(DECL_SOURCE_LOCATION(Fn->decl), 0,
               "zaph: cannot time '%s': GCC made no copy of its body; it is counted, not timed",
               State.Ops[Index].Name.c_str());
    return NULL_TREE;
  }
  tree Decl = Copy->decl;
  DECL_UNINLINABLE(Decl) = 1;
  DECL_DECLARED_INLINE_P(Decl) = 0;
  DECL_DISREGARD_INLINE_LIMITS(Decl) = 0;
  DECL_ATTRIBUTES(Decl) =
      tree_cons(get_identifier("noinline"), NULL_TREE,
                remove_attribute("always_inline", copy_list(DECL_ATTRIBUTES(Decl))));

  push_cfun(DECL_STRUCT_FUNCTION(Decl));
  tree Module = build_fold_addr_expr(S.Module), OpIndex = u32(Index);
  basic_block Entry = split_edge(single_succ_edge(ENTRY_BLOCK_PTR_FOR_FN(cfun)));
  tree Start = make_ssa_name(uint64_type_node);
  gcall *Begin = gimple_build_call(S.TimeBegin, 2, Module, OpIndex);
  gimple_call_set_lhs(Begin, Start);
  gimple_call_set_nothrow(Begin, true);
  gimple_set_location(Begin, DECL_SOURCE_LOCATION(Decl));
  Emitter(Entry).add(Begin);
  Copy->create_edge(cgraph_node::get_create(S.TimeBegin), Begin, Entry->count);
  edge E;
  edge_iterator Ei;
  FOR_EACH_EDGE(E, Ei, EXIT_BLOCK_PTR_FOR_FN(cfun)->preds) {
    gimple_stmt_iterator At = gsi_last_bb(E->src);
    if (gsi_end_p(At) || gimple_code(gsi_stmt(At)) != GIMPLE_RETURN)
      continue;
    gimple_stmt_iterator Before = At;
    gsi_prev(&Before);
    if (!gsi_end_p(Before))
      if (gcall *Call = dyn_cast<gcall *>(gsi_stmt(Before)))
        if (gimple_call_must_tail_p(Call))
          At = Before;
    gcall *End = gimple_build_call(S.TimeEnd, 3, Module, OpIndex, Start);
    gimple_call_set_nothrow(End, true);
    gimple_set_location(End, gimple_location(gsi_stmt(At)));
    gsi_insert_before(&At, End, GSI_SAME_STMT);
    Copy->create_edge(cgraph_node::get_create(S.TimeEnd), End, E->src->count);
  }
  mark_virtual_operands_for_renaming(cfun);
  update_ssa(TODO_update_ssa);
  free_dominance_info(CDI_DOMINATORS);
  pop_cfun();
  return Decl;
}

// Ends BB with `return Copy(arguments...)`, the op's arguments as they came in, for the
// entry that carries (as ipa-split returns the value of the part it splits off).
void callTimedCopy(function *Fn, basic_block BB, tree Copy) {
  Emitter E(BB);
  auto_vec<tree> Args;
  for (tree Parm = DECL_ARGUMENTS(Fn->decl); Parm; Parm = DECL_CHAIN(Parm)) {
    if (is_gimple_reg(Parm))
      Args.safe_push(get_or_create_ssa_default_def(Fn, Parm));
    else if (is_gimple_reg_type(TREE_TYPE(Parm))) // a scalar whose address is taken
      Args.safe_push(E.assign(TREE_TYPE(Parm), Parm));
    else
      Args.safe_push(Parm);
  }
  gcall *Call = gimple_build_call_vec(Copy, Args);
  gimple_set_location(Call, DECL_SOURCE_LOCATION(Fn->decl));
  tree Result = DECL_RESULT(Fn->decl), Value = NULL_TREE;
  if (Result && !VOID_TYPE_P(TREE_TYPE(Result))) {
    // In a register, in a temporary, or (aggregate_value_p) in the caller's return slot;
    // by reference, through the pointer the op was given.
    Value = Result;
    if (!aggregate_value_p(Result, TREE_TYPE(Fn->decl)) && !DECL_BY_REFERENCE(Result))
      Value = create_tmp_reg(TREE_TYPE(Result));
    if (is_gimple_reg(Value))
      Value = DECL_BY_REFERENCE(Value) ? get_or_create_ssa_default_def(Fn, Value)
                                       : make_ssa_name(Value, Call);
    gimple_call_set_lhs(Call, DECL_BY_REFERENCE(Result) ? build_simple_mem_ref(Value) : Value);
    // The copy builds a value returned in memory right where the op's caller wants it: a
    // class that cannot be copied bitwise has no other way back.
    if (!is_gimple_reg_type(TREE_TYPE(Result)) || DECL_BY_REFERENCE(Result))
      gimple_call_set_return_slot_opt(Call, true);
  }
  gimple_call_set_tail(Call, true);
  E.add(Call);
  cgraph_node::get(Fn->decl)->create_edge(cgraph_node::get(Copy), Call, BB->count);
  E.add(gimple_build_return(Value));
  make_edge(BB, EXIT_BLOCK_PTR_FOR_FN(Fn), 0);
}

// A timed op's count in Count (docs/latency.md, "Sampling"): the step added to the low 16 bits
// of entries; on the carry, the entry to time, the carry completed and the timed copy called
// (without a copy, the body runs on: the counts stay exact, nothing is timed). At timed=1 the
// step is the carry itself and every entry is timed.
void countTimed(function *Fn, BlockBuilder &B, basic_block Count, basic_block Rest, tree Slot,
                const Op &O, tree Copy) {
  basic_block Timed = B.block();
  if (O.Timed == 1) {
    addTo(Count, Slot, ZAPH_SLOT_ENTRIES, u64(ZAPH_TIMED_CARRY));
    B.jump(Count, Timed);
  } else {
    Emitter E(Count);
    tree U16 = short_unsigned_type_node;
    auto Low = [&] {
      return build2(MEM_REF, U16, Slot, build_int_cst(build_pointer_type(char_type_node), 0));
    };
    tree Step = build_int_cst(U16, ZAPH_TIMED_STEP(O.Timed - 1)), Carry;
    if (x86_64()) {
      // `addw $step, entries` and the carry flag as the asm's output ("=@ccc"): GCC 12 makes
      // a load, an add and a store of the 16-bit add below, three instructions for clang's one.
      // The in-out memory operand is an output and an input of the same word, as GCC's
      // gimplifier splits "+m".
      Carry = make_ssa_name(unsigned_char_type_node);
      vec<tree, va_gc> *Inputs = NULL, *Outputs = NULL;
      auto Operand = [](const char *Constraint, tree Value) {
        return build_tree_list(
            build_tree_list(NULL_TREE, build_string(strlen(Constraint) + 1, Constraint)), Value);
      };
      vec_safe_push(Outputs, Operand("=m", Low()));
      vec_safe_push(Outputs, Operand("=@ccc", Carry));
      vec_safe_push(Inputs, Operand("m", Low()));
      vec_safe_push(Inputs, Operand("i", Step));
      gasm *Add = gimple_build_asm_vec("addw %3, %0", Inputs, Outputs, NULL, NULL);
      gimple_asm_set_volatile(Add, true);
      SSA_NAME_DEF_STMT(Carry) = Add;
      E.add(Add);
    } else {
      // .ADD_OVERFLOW, the carry of a 16-bit add, as GCC's own overflow checks are written.
      tree Old = E.assign(U16, Low());
      gcall *Add = gimple_build_call_internal(IFN_ADD_OVERFLOW, 2, Old, Step);
      tree Both = make_ssa_name(build_complex_type(U16));
      gimple_call_set_lhs(Add, Both);
      E.add(Add);
      E.store(Low(), E.assign(U16, build1(REALPART_EXPR, U16, Both)));
      Carry = E.assign(U16, build1(IMAGPART_EXPR, U16, Both));
    }
    basic_block Carried = B.block();
    B.branch(Count, NE_EXPR, Carry, build_int_cst(TREE_TYPE(Carry), 0), Carried, Rest,
             profile_probability::very_unlikely());
    addTo(Carried, Slot, ZAPH_SLOT_ENTRIES, u64(ZAPH_TIMED_CARRY));
    B.jump(Carried, Timed);
  }
  if (Copy)
    callTimedCopy(Fn, Timed, Copy);
  else
    B.jump(Timed, Rest);
}

void instrument(function *Fn, const Op &O, unsigned Index) {
  const ModuleState &S = State;
  // The copy is taken before the count is inserted: it is the body alone. The op table says
  // the op counts in steps, so it does, copy or not.
  tree Copy = O.Timed ? timedCopy(Fn, Index) : NULL_TREE;
  basic_block Test = split_edge(single_succ_edge(ENTRY_BLOCK_PTR_FOR_FN(Fn)));
  basic_block Rest = blockAfter(Test);
  remove_edge(single_succ_edge(Test));
  BlockBuilder B(Fn, Test);
  Emitter E(Test);
  if (O.Kind == ZAPH_KIND_REQUEST)
    E.add(gimple_build_call(S.RequestEnter, 0));
  tree BytePtr = build_pointer_type(char_type_node);
  tree Slot, Epoch, EpochPtr = NULL_TREE;
  if (S.Counters) {
    tree Element = build4(ARRAY_REF, uint64_type_node, S.Counters,
                          size_int(Index * ZAPH_SLOT_WORDS), NULL_TREE, NULL_TREE);
    Slot = E.assign(BytePtr, fold_convert(BytePtr, build_fold_addr_expr(Element)));
    EpochPtr = E.assign(BytePtr, fold_convert(BytePtr, build_fold_addr_expr(S.ExeEpoch)));
    Epoch = E.assign(uint64_type_node, S.ExeEpoch);
  } else {
    tree Tls = E.assign(BytePtr, fold_convert(BytePtr, build_fold_addr_expr(runtimeTls())));
    tree Self = E.op(BytePtr, NOP_EXPR, E.assign(uint64_type_node, word(Tls, ZAPH_TLS_SELF)));
    tree EpochOffset = E.assign(uint64_type_node, build3(COMPONENT_REF, uint64_type_node,
                                                         S.Module, S.EpochOffsetField, NULL_TREE));
    tree EpochAt = E.op(BytePtr, POINTER_PLUS_EXPR, Tls, E.op(sizetype, NOP_EXPR, EpochOffset));
    Epoch = E.assign(uint64_type_node, word(EpochAt, 0));
    tree Base = E.assign(uint64_type_node,
                         build3(COMPONENT_REF, uint64_type_node, S.Module, S.BaseField, NULL_TREE));
    tree Offset = E.op(uint64_type_node, PLUS_EXPR, Base, u64(uint64_t(Index) * ZAPH_SLOT_SIZE));
    Slot = E.op(BytePtr, POINTER_PLUS_EXPR, Self, E.op(sizetype, NOP_EXPR, Offset));
  }
  tree Seen = E.assign(uint64_type_node, word(Slot, ZAPH_SLOT_SEEN));
  tree Signed = build_nonstandard_integer_type(64, 0), Zero = u64(0), One = u64(1);

  basic_block Count = B.block(), First = B.block(), NotBoth = B.block(),
              ToOutside = B.block(), NotOutside = B.block(), FromOutside = B.block(),
              Touch = B.block(), Shared = B.block(), Slow = B.block();
  const profile_probability Likely = profile_probability::very_likely();
  // seen == epoch: count and go on.
  B.branch(Test, EQ_EXPR, Seen, Epoch, Count, First, Likely);
  if (O.Timed) {
    countTimed(Fn, B, Count, Rest, Slot, O, Copy);
  } else {
    addTo(Count, Slot, ZAPH_SLOT_ENTRIES, One);
    B.jump(Count, Rest);
  }
  // Both inside requests (sign bits): the op's first entry in this request. The value the
  // hot test reads from memory is loaded again, as a relaxed atomic, which GCC does not merge
  // with the load above, so that the test keeps its memory operand: an executable's epoch
  // (seen is then in a register, and reused), a block module's seen (its epoch is in a
  // register: loading it again would compute its address whole, %fs base included, on the hot
  // path).
  Emitter F(First);
  if (EpochPtr)
    Epoch = relaxedLoad(F, EpochPtr);
  else
    Seen = relaxedLoad(F, F.op(BytePtr, POINTER_PLUS_EXPR, Slot, size_int(ZAPH_SLOT_SEEN)));
  tree Both = F.op(Signed, NOP_EXPR, F.op(uint64_type_node, BIT_AND_EXPR, Seen, Epoch));
  B.branch(First, LT_EXPR, Both, build_int_cst(Signed, 0), Touch, NotBoth, Likely);
  B.branch(NotBoth, EQ_EXPR, Epoch, Zero, ToOutside, NotOutside, profile_probability::even());
  // Inside, now outside: a run of outside entries begins.
  addTo(ToOutside, Slot, ZAPH_SLOT_OUTSIDE_BASE, loadWord(ToOutside, Slot, ZAPH_SLOT_ENTRIES),
        /*Subtract=*/true);
  Emitter(ToOutside).store(word(Slot, ZAPH_SLOT_SEEN), Epoch);
  B.jump(ToOutside, Count);
  tree EpochSigned = Emitter(NotOutside).op(Signed, NOP_EXPR, Epoch);
  B.branch(NotOutside, LT_EXPR, EpochSigned, build_int_cst(Signed, 0), FromOutside, Slow,
           Likely);
  // Outside, now inside: the run of outside entries ends.
  addTo(FromOutside, Slot, ZAPH_SLOT_OUTSIDE_BASE,
        loadWord(FromOutside, Slot, ZAPH_SLOT_ENTRIES));
  B.jump(FromOutside, Touch);
  Emitter(Touch).store(word(Slot, ZAPH_SLOT_SEEN), Epoch);
  addTo(Touch, Slot, ZAPH_SLOT_TOUCHED, One);
  tree Flag = build4(ARRAY_REF, unsigned_char_type_node,
                     build3(COMPONENT_REF, TREE_TYPE(S.SharedField), S.Module, S.SharedField,
                            NULL_TREE),
                     size_int(Index), NULL_TREE, NULL_TREE);
  tree SharedFlag = Emitter(Touch).assign(unsigned_char_type_node, Flag);
  B.branch(Touch, EQ_EXPR, SharedFlag, build_int_cst(unsigned_char_type_node, 0), Count, Shared,
           Likely);
  Emitter(Shared).add(coldCall(S.EnterShared, ZAPH_SHARED_TRAMPOLINE_SYMBOL, Index, Slot));
  B.jump(Shared, Count);
  Emitter(Slow).add(coldCall(S.EnterSlow, ZAPH_SLOW_TRAMPOLINE_SYMBOL, Index, Slot));
  B.jump(Slow, Rest);
  free_dominance_info(CDI_DOMINATORS);
}

} // namespace zaph_gcc
