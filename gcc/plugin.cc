// The GCC plugin: `gcc -fplugin=zaph-gcc.so` (g++ too). It registers the annotate attribute
// (attributes.cc), an IPA pass before `visibility` that finds the ops, marks them by the tier
// ledger's tiers (tiers.cc) and emits their module (module.cc), and a GIMPLE pass right after `ssa`, before any inlining, that counts each
// entry (count.cc). docs/design.md, "The GCC plugin", has the why.
#include "plugin.h"
#include "plugin-version.h"

__attribute__((visibility("default"))) int plugin_is_GPL_compatible; // zaph is MIT-licensed (LICENSE, README "Licence")

namespace zaph_gcc {

ModuleState State;

namespace {

// The trees above live from the IPA pass to the last counted function, across garbage
// collections: they are roots (PLUGIN_REGISTER_GGC_ROOTS).
#define ZAPH_ROOT(Field)                                                                          \
  { &State.Field, 1, sizeof(tree), &gt_ggc_mx_tree_node, &gt_pch_nx_tree_node }
const ggc_root_tab StateRoots[] = {
    ZAPH_ROOT(Module),   ZAPH_ROOT(ModuleType),       ZAPH_ROOT(BaseField),
    ZAPH_ROOT(EpochOffsetField), ZAPH_ROOT(SharedField), ZAPH_ROOT(Counters),
    ZAPH_ROOT(ExeEpoch), ZAPH_ROOT(Tls),              ZAPH_ROOT(EnterSlow),
    ZAPH_ROOT(EnterShared), ZAPH_ROOT(RequestEnter),  ZAPH_ROOT(TimeBegin),
    ZAPH_ROOT(TimeEnd),  LAST_GGC_ROOT_TAB};
#undef ZAPH_ROOT

// The IPA pass, before `visibility`: every body is lowered and none has been inlined yet.
const pass_data OpsPassData = {SIMPLE_IPA_PASS, "zaph-ops", OPTGROUP_NONE, TV_NONE, 0, 0, 0, 0, 0};

struct OpsPass : simple_ipa_opt_pass {
  OpsPass(gcc::context *Ctx) : simple_ipa_opt_pass(OpsPassData, Ctx) {}
  bool gate(function *) override { return !in_lto_p && !seen_error(); }
  unsigned int execute(function *) override {
    std::vector<Op> Ops = collectOps();
    if (Ops.empty())
      return 0;
    if (Ops.size() > ZAPH_MAX_MODULE_OPS) {
      error_at(DECL_SOURCE_LOCATION(Ops[0].Decl),
               "zaph: too many ops in one translation unit: %u (the limit is %u)",
               unsigned(Ops.size()), unsigned(ZAPH_MAX_MODULE_OPS));
      return 0;
    }
    applyTiers(Ops);
    State.Ops = Ops;
    for (unsigned I = 0; I < Ops.size(); I++)
      State.Index[Ops[I].Decl] = I;
    emitModule(Ops);
    return 0;
  }
};

// The GIMPLE pass, right after `ssa`: it sees each body before `einline` and IPA inlining, so
// inlined copies count too.
const pass_data CountPassData = {GIMPLE_PASS, "zaph", OPTGROUP_NONE, TV_NONE, PROP_ssa | PROP_cfg,
                                 0, 0, 0, TODO_update_ssa};

struct CountPass : gimple_opt_pass {
  CountPass(gcc::context *Ctx) : gimple_opt_pass(CountPassData, Ctx) {}
  bool gate(function *) override { return !in_lto_p && !State.Index.empty(); }
  unsigned int execute(function *Fn) override {
    auto Found = State.Index.find(Fn->decl);
    if (Found == State.Index.end())
      return 0;
    instrument(Fn, State.Ops[Found->second], Found->second);
    mark_virtual_operands_for_renaming(Fn);
    return TODO_update_ssa;
  }
  opt_pass *clone() override { return new CountPass(m_ctxt); }
};

} // namespace
} // namespace zaph_gcc

using namespace zaph_gcc;

__attribute__((visibility("default"))) int plugin_init(plugin_name_args *Info,
                                                     plugin_gcc_version *Version) {
  if (!plugin_default_version_check(Version, &gcc_version)) {
    error("zaph: %s was built for GCC %s and cannot be loaded into GCC %s", Info->full_name,
          gcc_version.basever, Version->basever);
    return 1;
  }
  // -fplugin-arg-zaph-gcc-list=FILE: GCC names a plugin's arguments by its file's name.
  for (int I = 0; I < Info->argc; I++) {
    if (strcmp(Info->argv[I].key, "list") == 0 && Info->argv[I].value) {
      ListPath = Info->argv[I].value;
      continue;
    }
    if (strcmp(Info->argv[I].key, "tiers") == 0 && Info->argv[I].value) {
      TiersPath = Info->argv[I].value;
      continue;
    }
    error("zaph: unknown plugin argument '%s' (known: list=FILE, tiers=FILE)", Info->argv[I].key);
    return 1;
  }
  // The list file and the ledger now, so that their mistakes are reported before any
  // function's.
  bool ListFailed, LedgerFailed;
  listFile(ListFailed);
  ledgerFile(LedgerFailed);
  register_callback(Info->base_name, PLUGIN_REGISTER_GGC_ROOTS, NULL,
                    const_cast<ggc_root_tab *>(StateRoots));
  register_callback(Info->base_name, PLUGIN_ATTRIBUTES, registerAttributes, NULL);
  register_callback(Info->base_name, PLUGIN_FINISH_DECL, finishDecl, NULL);
  register_callback(Info->base_name, PLUGIN_PRE_GENERICIZE, finishDefinition, NULL);
  register_callback(Info->base_name, PLUGIN_ALL_IPA_PASSES_START, reportDeclaredOnly, NULL);

  register_pass_info Ops = {new OpsPass(g), "visibility", 1, PASS_POS_INSERT_BEFORE};
  register_callback(Info->base_name, PLUGIN_PASS_MANAGER_SETUP, NULL, &Ops);
  register_pass_info Count = {new CountPass(g), "ssa", 1, PASS_POS_INSERT_AFTER};
  register_callback(Info->base_name, PLUGIN_PASS_MANAGER_SETUP, NULL, &Count);
  return 0;
}
