/**
 * KBUILD_MODNAME: scripts/Makefile.lib passes -DKBUILD_MODNAME with the module's name through
 * name-fix-token (`$(subst $(comma),_,$(subst -,_,$1))`): a module file "my-nic.ko" is
 * "my_nic" to the code in it (auxiliary device and driver names, pr_fmt prefixes).
 */
export function kbuildModname(module: string): string {
  return module.replace(/[-,]/g, '_');
}
