/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * oob.c: out-of-band query hits (protocol.md 1.13), both ends.
 *
 * Responder: a query that says OOB (QUERY_F_OOB, the requester's address
 * in its MUID) and came through at least one other node gets its hits
 * held, not sent: a reply number (LIME/12v2, how many hits) goes by UDP
 * to the address, and only a reply ack (LIME/11) from that address for
 * that MUID releases them, by UDP, once. Unclaimed hits go after
 * OOB_LIFE_MS. An address the host may not send to (env->oob_ok), or a
 * full table, gets its hits in band as before. At most OOB_MAX offers
 * are held, and at most OOB_SEND_MAX hit datagrams go out a second.
 *
 * Requester: our searches say OOB when the host can take UDP (conf.oob);
 * a reply number for one of them is claimed with what the search still
 * wants, and UDP hits count only from an address we claimed from, up to
 * what we claimed. Reply numbers and acks nobody asked for, and hits
 * nobody claimed, are dropped at a lookup and counted.
 */
#include <stdlib.h>
#include <string.h>

#include "core/node_impl.h"
#include "lib/xmalloc.h"
#include "wire/vmsg.h"

#define OOB_MAX		256	/* offers held, and claims */
#define OOB_LIFE_MS	30000	/* gtk-gnutella keeps them 30 s */
#define OOB_SEND_MAX	200	/* hit datagrams a second */
#define OOB_MSGS	8	/* hit messages held per offer */

struct oob_offer {
	uint8_t		 guid[16];
	uint32_t	 ip;
	uint16_t	 port;
	uint8_t		 hops;
	uint8_t		 nmsg;
	uint32_t	 nrec;
	uint64_t	 expire;	/* 0: a free slot */
	uint8_t		*msg[OOB_MSGS];
	uint16_t	 len[OOB_MSGS];
	uint8_t		 nr[OOB_MSGS];	/* records in each */
};

struct oob_claim {
	uint8_t		 guid[16];
	uint32_t	 ip;
	uint32_t	 left;		/* hits still taken from ip */
	uint64_t	 expire;
};

struct oob {
	struct oob_offer offer[OOB_MAX];
	struct oob_claim claim[OOB_MAX];
	uint32_t	 next_claim;
	uint64_t	 second;	/* the rate limit's window */
	uint32_t	 sent;
};

static struct oob *
oob_of(struct node *n)
{
	if (n->oob == NULL)
		n->oob = xcalloc(1, sizeof *n->oob);
	return n->oob;
}

static void
oob_offer_clear(struct oob_offer *o)
{
	uint8_t	 i;

	for (i = 0; i < o->nmsg; i++)
		free(o->msg[i]);
	memset(o, 0, sizeof *o);
}

void
oob_free(struct node *n)
{
	size_t	 i;

	if (n->oob == NULL)
		return;
	for (i = 0; i < OOB_MAX; i++)
		oob_offer_clear(&n->oob->offer[i]);
	free(n->oob);
	n->oob = NULL;
}

static int
oob_wanted(const struct node *n, const struct desc *d, const struct query *q,
    uint32_t *ip, uint16_t *port)
{
	if (!n->conf.oob || d->hops < 1 || !(q->flags & QUERY_F_MARK) ||
	    !(q->flags & QUERY_F_OOB))
		return 0;
	vmsg_oob_guid_get(d->guid, ip, port);
	if (*ip == 0 || *port == 0)
		return 0;
	return n->env->oob_ok == NULL || n->env->oob_ok(n->arg, *ip, *port);
}

struct oob_offer *
oob_offer_new(struct node *n, const struct desc *d, const struct query *q)
{
	struct oob		*ob;
	struct oob_offer	*o = NULL;
	uint64_t		 now = node_now(n);
	uint32_t		 ip;
	uint16_t		 port;
	size_t			 i;

	if (!oob_wanted(n, d, q, &ip, &port))
		return NULL;
	ob = oob_of(n);
	for (i = 0; i < OOB_MAX; i++) {
		if (ob->offer[i].expire != 0 && ob->offer[i].expire <= now)
			oob_offer_clear(&ob->offer[i]);
		if (ob->offer[i].expire != 0 &&
		    memcmp(ob->offer[i].guid, d->guid, 16) == 0)
			return NULL;	/* answered once already */
		if (o == NULL && ob->offer[i].expire == 0)
			o = &ob->offer[i];
	}
	if (o == NULL)
		return NULL;	/* full: in band */
	memcpy(o->guid, d->guid, 16);
	o->ip = ip;
	o->port = port;
	o->hops = d->hops;
	o->expire = now + OOB_LIFE_MS;
	return o;
}

/* Hold one hit message; 0 if it did not fit (the caller sends it). */
int
oob_offer_add(struct oob_offer *o, const uint8_t *payload, size_t len,
    size_t nrec)
{
	if (o->nmsg >= OOB_MSGS || len > UINT16_MAX)
		return 0;
	o->msg[o->nmsg] = xmalloc(len);
	memcpy(o->msg[o->nmsg], payload, len);
	o->nr[o->nmsg] = nrec > 255 ? 255 : (uint8_t)nrec;
	o->len[o->nmsg++] = (uint16_t)len;
	o->nrec += (uint32_t)nrec;
	return 1;
}

static void
oob_send_vmsg(struct node *n, uint32_t ip, uint16_t port, const uint8_t *guid,
    uint16_t sel, const uint8_t *body, size_t blen)
{
	uint8_t		 out[VMSG_HDR_LEN + 2];
	struct vmsg	 vm;
	size_t		 len;

	memset(&vm, 0, sizeof vm);
	memcpy(vm.vendor, VMSG_VENDOR_LIME, 4);
	vm.selector = sel;
	vm.version = VMSG_OOB_VERSION;
	vm.body = body;
	vm.bodylen = blen;
	if ((len = vmsg_encode(&vm, out, sizeof out)) > 0)
		node_send_oob(n, ip, port, guid, DESC_VENDOR, 0, out, len);
}

void
oob_offer_done(struct node *n, struct oob_offer *o)
{
	uint8_t		 body[2];

	if (o->nmsg == 0) {
		oob_offer_clear(o);
		return;
	}
	body[0] = o->nrec > 255 ? 255 : (uint8_t)o->nrec;
	body[1] = n->conf.oob ? 1 : 0;	/* we take unsolicited UDP */
	n->stats.oob_offers++;
	oob_send_vmsg(n, o->ip, o->port, o->guid, VMSG_SEL_OOB_REPLY, body,
	    sizeof body);
}

/* A reply ack from ip: the hits it claims go out, once. */
static void
oob_on_ack(struct node *n, uint32_t ip, const struct desc *d,
    const struct vmsg *vm)
{
	struct oob_offer	*o = NULL;
	struct oob		*ob = n->oob;
	uint64_t		 now = node_now(n), sec = now / 1000;
	uint32_t		 sent = 0;
	uint8_t			 want, i;
	int			 unsol;
	size_t			 k;

	if (ob == NULL || vmsg_oob_decode(vm, &want, &unsol) != WIRE_OK) {
		n->stats.oob_dropped++;
		return;
	}
	for (k = 0; k < OOB_MAX && o == NULL; k++)
		if (ob->offer[k].expire > now && ob->offer[k].ip == ip &&
		    memcmp(ob->offer[k].guid, d->guid, 16) == 0)
			o = &ob->offer[k];
	if (o == NULL) {
		n->stats.oob_dropped++;
		return;
	}
	if (ob->second != sec) {
		ob->second = sec;
		ob->sent = 0;
	}
	n->stats.oob_claims++;
	for (i = 0; i < o->nmsg && sent < want && ob->sent < OOB_SEND_MAX;
	    i++) {
		node_send_oob(n, o->ip, o->port, o->guid, DESC_QHIT, o->hops,
		    o->msg[i], o->len[i]);
		n->stats.oob_hits_sent++;
		ob->sent++;
		sent += o->nr[i];	/* the ack counts hits, not messages */
	}
	oob_offer_clear(o);
}

/* A reply number for one of our searches: claim what it still wants. */
static void
oob_on_reply(struct node *n, uint32_t ip, uint16_t port, const struct desc *d,
    const struct vmsg *vm)
{
	struct search		*s;
	struct oob		*ob;
	struct oob_claim	*c;
	uint8_t			 count, want;
	int			 unsol;

	if ((s = search_by_guid(n, d->guid)) == NULL || !s->oob ||
	    vmsg_oob_decode(vm, &count, &unsol) != WIRE_OK ||
	    s->results >= s->o.target || count == 0) {
		n->stats.oob_dropped++;
		return;
	}
	want = s->o.target - s->results > 255 ? 255 :
	    (uint8_t)(s->o.target - s->results);
	if (want > count)
		want = count;
	ob = oob_of(n);
	c = &ob->claim[ob->next_claim++ % OOB_MAX];
	memcpy(c->guid, d->guid, 16);
	c->ip = ip;
	c->left = want;
	c->expire = node_now(n) + OOB_LIFE_MS;
	n->stats.oob_claims++;
	oob_send_vmsg(n, ip, port, d->guid, VMSG_SEL_OOB_ACK, &want, 1);
}

int
oob_vmsg(struct node *n, uint32_t ip, uint16_t port, const struct desc *d,
    const uint8_t *payload)
{
	struct vmsg	 vm;

	if (vmsg_decode(payload, d->len, &vm) != WIRE_OK ||
	    memcmp(vm.vendor, VMSG_VENDOR_LIME, 4) != 0)
		return 0;
	if (vm.selector == VMSG_SEL_OOB_REPLY)
		oob_on_reply(n, ip, port, d, &vm);
	else if (vm.selector == VMSG_SEL_OOB_ACK)
		oob_on_ack(n, ip, d, &vm);
	else
		n->stats.dropped++;
	return 1;
}

int
oob_hit_claimed(struct node *n, uint32_t ip, const uint8_t *guid,
    size_t nrec)
{
	struct oob_claim	*c;
	uint64_t		 now = node_now(n);
	size_t			 k;

	if (n->oob == NULL)
		return 0;
	for (k = 0; k < OOB_MAX; k++) {
		c = &n->oob->claim[k];
		if (c->expire > now && c->ip == ip && c->left > 0 &&
		    memcmp(c->guid, guid, 16) == 0) {
			c->left = nrec >= c->left ? 0 : c->left - (uint32_t)nrec;
			return 1;
		}
	}
	return 0;
}
