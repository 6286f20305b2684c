// SPDX-License-Identifier: GPL-2.0
/*
 * zswap-bpf load --set: a policy's knobs, its `const volatile` globals in
 * .rodata, typed from the object's BTF and set before the load.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "main.h"

struct knob {
	const char *name;
	struct knob_type type;
	const struct btf_type *t; /* resolved: int or enum */
	unsigned int offset;
};

static struct bpf_map *rodata_map(struct bpf_object *obj)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj)
		if (bpf_map__is_internal(map) &&
		    has_suffix(bpf_map__name(map), ".rodata"))
			return map;
	return NULL;
}

/* The knob type of BTF type @id; -EOPNOTSUPP if --set cannot set it */
static int knob_type_of(const struct btf *btf, __u32 id, struct knob *k)
{
	const struct btf_type *t;
	int rid = btf__resolve_type(btf, id);
	__u8 enc;

	if (rid < 0)
		return rid;
	t = btf__type_by_id(btf, rid);
	k->t = t;
	if (btf_is_int(t)) {
		enc = btf_int_encoding(t);
		k->type.size = t->size;
		k->type.is_signed = enc & BTF_INT_SIGNED;
		k->type.is_bool = enc & BTF_INT_BOOL;
	} else if (btf_is_any_enum(t)) {
		k->type.size = t->size;
		k->type.is_signed = btf_kflag(t);
		k->type.is_bool = false;
	} else {
		return -EOPNOTSUPP;
	}
	if (k->type.size != 1 && k->type.size != 2 && k->type.size != 4 &&
	    k->type.size != 8)
		return -EOPNOTSUPP;
	return 0;
}

/* The @idx-th variable of .rodata as a knob; -ENOENT past the end */
static int knob_at(const struct btf *btf, int idx, struct knob *k)
{
	const struct btf_var_secinfo *vs;
	const struct btf_type *sec, *var;
	int id;

	id = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
	if (id < 0)
		return -ENOENT;
	sec = btf__type_by_id(btf, id);
	if (idx >= btf_vlen(sec))
		return -ENOENT;
	vs = btf_var_secinfos(sec) + idx;
	var = btf__type_by_id(btf, vs->type);
	if (!btf_is_var(var))
		return -EINVAL;
	k->name = btf__name_by_offset(btf, var->name_off);
	k->offset = vs->offset;
	memset(&k->type, 0, sizeof(k->type));
	k->t = NULL;
	return knob_type_of(btf, var->type, k);
}

/* "u32, 0..4294967295", "bool", "enum order: OLDEST, LARGEST" */
static void knob_describe(const struct btf *btf, const struct knob *k,
			  char *buf, size_t len)
{
	size_t used;
	int i;

	if (!k->t || !btf_is_enum(k->t)) {
		knob_type_describe(&k->type, buf, len);
		return;
	}
	used = snprintf(buf, len,
			"enum %s:", btf__name_by_offset(btf, k->t->name_off));
	for (i = 0; i < btf_vlen(k->t) && used < len; i++)
		used += snprintf(
			buf + used, len - used, "%s %s", i ? "," : "",
			btf__name_by_offset(btf, btf_enum(k->t)[i].name_off));
}

/* "a (u32, 0..4294967295), b (bool)" or "none" */
static void knobs_describe(const struct btf *btf, char *buf, size_t len)
{
	char desc[256];
	struct knob k;
	size_t used = 0;
	int i, err;

	buf[0] = '\0';
	for (i = 0; btf && (err = knob_at(btf, i, &k)) != -ENOENT; i++) {
		if (err == -EINVAL)
			continue;
		if (err)
			snprintf(desc, sizeof(desc), "not settable");
		else
			knob_describe(btf, &k, desc, sizeof(desc));
		used += snprintf(buf + used, used < len ? len - used : 0,
				 "%s%s (%s)", used ? ", " : "", k.name, desc);
	}
	if (!buf[0])
		snprintf(buf, len, "none");
}

/* An enum knob given by enumerator name: its value into @out */
static int knob_enum_value(const struct btf *btf, const struct knob *k,
			   const char *value, void *out)
{
	char num[32];
	int i;

	if (!k->t || !btf_is_enum(k->t))
		return -EINVAL;
	for (i = 0; i < btf_vlen(k->t); i++) {
		const struct btf_enum *e = btf_enum(k->t) + i;

		if (strcmp(btf__name_by_offset(btf, e->name_off), value))
			continue;
		snprintf(num, sizeof(num), "%d", e->val);
		return knob_value_parse(num, &k->type, out);
	}
	return -EINVAL;
}

int knob_set(struct bpf_object *obj, const char *path, const char *arg)
{
	const struct btf *btf = bpf_object__btf(obj);
	char name[128], all[1024], desc[256];
	struct bpf_map *map = rodata_map(obj);
	const char *value;
	struct knob k;
	size_t size;
	char *data;
	int i, err;

	if (knob_assign_parse(arg, name, sizeof(name), &value))
		return usage_error("load",
				   "bad --set '%s': expected NAME=VALUE", arg);
	data = map ? bpf_map__initial_value(map, &size) : NULL;
	for (i = 0; btf && data && (err = knob_at(btf, i, &k)) != -ENOENT;
	     i++) {
		if (err == -EINVAL || strcmp(k.name, name))
			continue;
		if (err) {
			p_err("knob '%s' of '%s' is not an integer, enum or bool: --set cannot set it",
			      name, path);
			return -EUSAGE;
		}
		if (k.offset + k.type.size > size)
			return -EIO; /* BTF and .rodata disagree */
		err = knob_value_parse(value, &k.type, data + k.offset);
		if (err == -EINVAL)
			err = knob_enum_value(btf, &k, value, data + k.offset);
		if (err) {
			knob_describe(btf, &k, desc, sizeof(desc));
			p_err("bad value '%s' for knob '%s' (%s)%s", value,
			      name, desc,
			      err == -ERANGE ? ": out of range" : "");
			return -EUSAGE;
		}
		return 0;
	}
	knobs_describe(btf, all, sizeof(all));
	p_err("policy '%s' has no knob '%s'; its knobs: %s", path, name, all);
	return -EUSAGE;
}
