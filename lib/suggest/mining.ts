/**
 * Exact association-rule mining with the conventions of R's arules (apriori by C. Borgelt):
 * - an itemset is frequent when its count >= ceil(N * minSupport), computed in doubles as arules does;
 * - a rule has one item on the right; support = count(LHS ∪ RHS) / N;
 * - confidence = count(LHS ∪ RHS) / count(LHS), kept when >= minConfidence - 1e-12;
 * - lift = confidence * N / count(RHS);
 * - minLen / maxLen bound |LHS ∪ RHS|; with minLen 1 a rule may have an empty LHS ({} => {x}).
 *
 * Frequent itemsets are found with Eclat over sorted tid lists. Pairs are counted straight from the
 * baskets, and the baskets of each frequent pair gathered in a second pass, so intersections start at
 * pairs (small lists) and never touch the long lists of popular single items.
 */

export type Rule = {
  lhs: string[];
  rhs: string;
  support: number;
  confidence: number;
  lift: number;
  /** Baskets containing LHS ∪ RHS. */
  count: number;
};

export type MiningOptions = {
  minSupport: number;
  minConfidence: number;
  minLen?: number;
  maxLen?: number;
};

export type MiningResult = {
  rules: Rule[];
  basketCount: number;
  itemCount: number;
  frequentItemsetCount: number;
};

/** arules' EPSILON: a confidence that is the threshold up to rounding still passes. */
const CONFIDENCE_EPSILON = 1e-12;

const DEFAULT_MIN_LEN = 1;
const DEFAULT_MAX_LEN = 10;

/** The smallest basket count that meets a relative support, exactly as arules rounds it. */
export function minSupportCount(basketCount: number, minSupport: number): number {
  return Math.max(1, Math.ceil(basketCount * minSupport));
}

export function checkMiningOptions(options: MiningOptions): void {
  const { minSupport, minConfidence, minLen = DEFAULT_MIN_LEN, maxLen = DEFAULT_MAX_LEN } = options;
  if (!(minSupport >= 0 && minSupport <= 1)) throw new RangeError("minSupport must be in [0, 1]");
  if (!(minConfidence >= 0 && minConfidence <= 1)) throw new RangeError("minConfidence must be in [0, 1]");
  if (!Number.isInteger(minLen) || minLen < 1) throw new RangeError("minLen must be an integer >= 1");
  if (!Number.isInteger(maxLen) || maxLen < minLen) throw new RangeError("maxLen must be an integer >= minLen");
}

function growInt32(array: Int32Array<ArrayBuffer>, minLength: number): Int32Array<ArrayBuffer> {
  if (array.length >= minLength) return array;
  const grown = new Int32Array(Math.max(minLength, array.length * 2));
  grown.set(array);
  return grown;
}

/** Interns item labels as dense integer ids in first-seen order. */
class Vocabulary {
  private readonly ids = new Map<string, number>();
  readonly labels: string[] = [];

  id(label: string): number {
    let id = this.ids.get(label);
    if (id === undefined) {
      id = this.labels.length;
      this.ids.set(label, id);
      this.labels.push(label);
    }
    return id;
  }

  get size(): number {
    return this.labels.length;
  }
}

/** Writes the distinct ids of a basket, ascending, into scratch; returns the scratch and the count. */
function encodeBasket(basket: Iterable<string>, vocabulary: Vocabulary, scratch: Int32Array<ArrayBuffer>): [Int32Array<ArrayBuffer>, number] {
  let n = 0;
  for (const label of basket) {
    scratch = growInt32(scratch, n + 1);
    scratch[n++] = vocabulary.id(label);
  }
  const ids = scratch.subarray(0, n).sort();
  let unique = 0;
  for (let i = 0; i < n; i++) if (i === 0 || ids[i] !== ids[i - 1]) ids[unique++] = ids[i];
  return [scratch, unique];
}

/**
 * Counts of unordered item pairs in an open-addressing hash table over one typed array: no per-entry
 * objects, no ceiling on distinct pairs (a Map stops at 2^24 entries), and each slot's (a, b, count)
 * side by side so an update costs one cache miss rather than three.
 */
export class PairCounts {
  private slots = new Int32Array(3 << 16).fill(-1);
  private mask = (1 << 16) - 1;
  private used = 0;

  get size(): number {
    return this.used;
  }

  /** Index of the slot holding (a, b), or of the empty slot where it belongs. */
  private find(a: number, b: number): number {
    const { slots } = this;
    let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
    let i = ((h ^ (h >>> 13)) & this.mask) * 3;
    while (slots[i] !== -1 && (slots[i] !== a || slots[i + 1] !== b)) {
      i += 3;
      if (i === slots.length) i = 0;
    }
    return i;
  }

  /** An ordered pair: unordered counts pass a < b. */
  add(a: number, b: number): void {
    let i = this.find(a, b);
    if (this.slots[i] === -1) {
      if ((this.used + 1) * 2 > this.mask + 1) {
        this.rehash();
        i = this.find(a, b);
      }
      this.slots[i] = a;
      this.slots[i + 1] = b;
      this.slots[i + 2] = 0;
      this.used++;
    }
    this.slots[i + 2]++;
  }

  forEach(fn: (a: number, b: number, count: number) => void): void {
    const { slots } = this;
    for (let i = 0; i < slots.length; i += 3) if (slots[i] !== -1) fn(slots[i], slots[i + 1], slots[i + 2]);
  }

  private rehash(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2).fill(-1);
    this.mask = this.mask * 2 + 1;
    for (let i = 0; i < old.length; i += 3) {
      if (old[i] === -1) continue;
      const j = this.find(old[i], old[i + 1]);
      this.slots[j] = old[i];
      this.slots[j + 1] = old[i + 1];
      this.slots[j + 2] = old[i + 2];
    }
  }
}

/**
 * Baskets kept as item ids in one flat typed array, so millions of baskets cost a few bytes per item
 * instead of a JS array of strings each. Feed it one basket at a time, then call `mine`.
 */
export class BasketStore {
  private readonly vocabulary = new Vocabulary();
  private items = new Int32Array(1 << 16);
  private ends = new Int32Array(1 << 12);
  private itemTotal = 0;
  private baskets = 0;
  private scratch = new Int32Array(64);

  /** Duplicate items in a basket count once; an empty basket still counts towards N, as in arules. */
  add(basket: Iterable<string>): void {
    const [scratch, n] = encodeBasket(basket, this.vocabulary, this.scratch);
    this.scratch = scratch;
    this.items = growInt32(this.items, this.itemTotal + n);
    this.items.set(scratch.subarray(0, n), this.itemTotal);
    this.itemTotal += n;
    this.ends = growInt32(this.ends, this.baskets + 1);
    this.ends[this.baskets++] = this.itemTotal;
  }

  get basketCount(): number {
    return this.baskets;
  }

  get itemCount(): number {
    return this.vocabulary.size;
  }

  mine(options: MiningOptions): MiningResult {
    checkMiningOptions(options);
    const { minConfidence } = options;
    const minLen = options.minLen ?? DEFAULT_MIN_LEN;
    const maxLen = options.maxLen ?? DEFAULT_MAX_LEN;

    const trie = this.frequentItemsets(minSupportCount(this.baskets, options.minSupport), maxLen);
    const rules = rulesFromItemsets(trie, this.baskets, minConfidence, minLen);
    return { rules, basketCount: this.baskets, itemCount: this.itemCount, frequentItemsetCount: trie.itemsetCount };
  }

  private frequentItemsets(minCount: number, maxLen: number): ItemsetTrie {
    const itemCounts = new Int32Array(this.vocabulary.size);
    for (const id of this.items.subarray(0, this.itemTotal)) itemCounts[id]++;

    // Recode frequent items by ascending count: Eclat's classes then stay small.
    const frequent = [...itemCounts.keys()].filter((id) => itemCounts[id] >= minCount);
    frequent.sort((a, b) => itemCounts[a] - itemCounts[b] || a - b);
    const recode = new Int32Array(this.vocabulary.size).fill(-1);
    frequent.forEach((id, rank) => (recode[id] = rank));
    const trie = new ItemsetTrie(
      this.baskets,
      frequent.map((id) => this.vocabulary.labels[id]),
    );
    const singles = frequent.map((id, rank) => trie.add(trie.root, rank, itemCounts[id]));
    if (maxLen < 2 || frequent.length < 2) return trie;

    const pairCounts = new PairCounts();
    this.forEachRecodedBasket(recode, (ranks, n) => {
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) pairCounts.add(ranks[i], ranks[j]);
    });
    const pairs = new FrequentPairs(pairCounts, frequent.length, minCount);
    const pairNodes: TrieNode[] = [];
    for (let a = 0; a < frequent.length; a++) {
      for (let k = pairs.rowStart[a]; k < pairs.rowStart[a + 1]; k++) pairNodes[k] = trie.add(singles[a], pairs.partner[k], pairs.count[k]);
    }
    if (maxLen < 3) return trie;

    // The baskets of every frequent pair, gathered in one pass: single items' lists are never intersected.
    const tidStart = new Int32Array(pairs.size + 1);
    for (let k = 0; k < pairs.size; k++) tidStart[k + 1] = tidStart[k] + pairs.count[k];
    const pairTids = new Int32Array(tidStart[pairs.size]);
    const cursor = tidStart.slice(0, pairs.size);
    this.forEachRecodedBasket(recode, (ranks, n, basket) => {
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          const k = pairs.find(ranks[i], ranks[j]);
          if (k >= 0) pairTids[cursor[k]++] = basket;
        }
      }
    });

    const scratch = new Int32Array(pairs.count.reduce((max, c) => Math.max(max, c), 0));
    for (let a = 0; a < frequent.length; a++) {
      const members: Member[] = [];
      for (let k = pairs.rowStart[a]; k < pairs.rowStart[a + 1]; k++) {
        members.push({ item: pairs.partner[k], tids: pairTids.subarray(tidStart[k], tidStart[k + 1]), node: pairNodes[k] });
      }
      extendClass(members, 2, { trie, pairs, minCount, maxLen, scratch });
    }
    return trie;
  }

  /** Calls fn with each basket's frequent items as ascending ranks (ranks is reused between calls). */
  private forEachRecodedBasket(recode: Int32Array, fn: (ranks: Int32Array, n: number, basket: number) => void): void {
    let ranks = new Int32Array(64);
    for (let basket = 0, start = 0; basket < this.baskets; start = this.ends[basket++]) {
      ranks = growInt32(ranks, this.ends[basket] - start);
      let n = 0;
      for (let i = start; i < this.ends[basket]; i++) {
        const rank = recode[this.items[i]];
        if (rank >= 0) ranks[n++] = rank;
      }
      ranks.subarray(0, n).sort();
      fn(ranks, n, basket);
    }
  }
}

/** The frequent pairs of recoded items as compressed rows: for each item a, its partners b > a ascending. */
class FrequentPairs {
  readonly rowStart: Int32Array;
  readonly partner: Int32Array;
  readonly count: Int32Array;

  constructor(counts: PairCounts, itemCount: number, minCount: number) {
    this.rowStart = new Int32Array(itemCount + 1);
    counts.forEach((a, _b, count) => {
      if (count >= minCount) this.rowStart[a + 1]++;
    });
    for (let a = 0; a < itemCount; a++) this.rowStart[a + 1] += this.rowStart[a];
    this.partner = new Int32Array(this.rowStart[itemCount]);
    this.count = new Int32Array(this.rowStart[itemCount]);
    const cursor = this.rowStart.slice(0, itemCount);
    counts.forEach((a, b, count) => {
      if (count >= minCount) this.partner[cursor[a]++] = b;
    });
    for (let a = 0; a < itemCount; a++) this.partner.subarray(this.rowStart[a], this.rowStart[a + 1]).sort();
    counts.forEach((a, b, count) => {
      if (count >= minCount) this.count[this.find(a, b)] = count;
    });
  }

  get size(): number {
    return this.partner.length;
  }

  /** Index of the frequent pair a < b, or -1. */
  find(a: number, b: number): number {
    let low = this.rowStart[a];
    let high = this.rowStart[a + 1] - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const p = this.partner[mid];
      if (p < b) low = mid + 1;
      else if (p > b) high = mid - 1;
      else return mid;
    }
    return -1;
  }
}

type Member = { item: number; tids: Int32Array; node: TrieNode };
type EclatContext = { trie: ItemsetTrie; pairs: FrequentPairs; minCount: number; maxLen: number; scratch: Int32Array };

/** Extends every itemset of one prefix class (all of the given size, below maxLen) by the later members of the class. */
function extendClass(members: Member[], size: number, ctx: EclatContext): void {
  const { trie, pairs, minCount, maxLen, scratch } = ctx;
  const keepTids = size + 1 < maxLen;
  for (let i = 0; i < members.length - 1; i++) {
    const a = members[i];
    const next: Member[] = [];
    for (let j = i + 1; j < members.length; j++) {
      const b = members[j];
      // Every pair inside a frequent itemset is frequent: a cheap test before intersecting.
      if (pairs.find(a.item, b.item) < 0) continue;
      const count = intersect(a.tids, b.tids, scratch);
      if (count < minCount) continue;
      const node = trie.add(a.node, b.item, count);
      if (keepTids) next.push({ item: b.item, tids: scratch.slice(0, count), node });
    }
    if (next.length > 1) extendClass(next, size + 1, ctx);
  }
}

/** Intersection of two ascending tid lists into out; returns its length. Gallops when sizes differ a lot. */
function intersect(a: Int32Array, b: Int32Array, out: Int32Array): number {
  if (a.length > b.length) [a, b] = [b, a];
  let k = 0;
  if (a.length * 16 < b.length) {
    let low = 0;
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      let high = b.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if (b[mid] < x) low = mid + 1;
        else high = mid;
      }
      if (low === b.length) break;
      if (b[low] === x) out[k++] = x;
    }
    return k;
  }
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    const x = a[i];
    const y = b[j];
    if (x < y) i++;
    else if (x > y) j++;
    else {
      out[k++] = x;
      i++;
      j++;
    }
  }
  return k;
}

type TrieNode = { count: number; children: Map<number, TrieNode> | undefined };

/** Frequent itemsets as a prefix tree over recoded items (ascending), so any subset's count is a short walk. */
class ItemsetTrie {
  readonly root: TrieNode;
  itemsetCount = 0;

  constructor(
    basketCount: number,
    readonly labels: string[],
  ) {
    this.root = { count: basketCount, children: undefined };
  }

  add(parent: TrieNode, item: number, count: number): TrieNode {
    const node: TrieNode = { count, children: undefined };
    (parent.children ??= new Map()).set(item, node);
    this.itemsetCount++;
    return node;
  }

  child(parent: TrieNode, item: number): TrieNode {
    const node = parent.children?.get(item);
    if (!node) throw new Error(`itemset trie has no child ${item}`);
    return node;
  }

  /** Count of the itemset `items` without the item at position `skip`. */
  countWithout(items: number[], skip: number): number {
    let node = this.root;
    for (let i = 0; i < items.length; i++) if (i !== skip) node = this.child(node, items[i]);
    return node.count;
  }
}

function rulesFromItemsets(trie: ItemsetTrie, basketCount: number, minConfidence: number, minLen: number): Rule[] {
  const rules: Rule[] = [];
  const itemCount = (item: number) => trie.child(trie.root, item).count;
  const path: number[] = [];
  const visit = (node: TrieNode): void => {
    if (path.length >= minLen) {
      for (let head = 0; head < path.length; head++) {
        const confidence = node.count / trie.countWithout(path, head);
        if (confidence < minConfidence - CONFIDENCE_EPSILON) continue;
        rules.push({
          lhs: path
            .filter((_, i) => i !== head)
            .map((item) => trie.labels[item])
            .sort(compareLabels),
          rhs: trie.labels[path[head]],
          support: node.count / basketCount,
          confidence,
          lift: (confidence * basketCount) / itemCount(path[head]),
          count: node.count,
        });
      }
    }
    node.children?.forEach((child, item) => {
      path.push(item);
      visit(child);
      path.pop();
    });
  };
  visit(trie.root);
  return rules;
}

function compareLabels(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Exact frequent itemsets and rules of in-memory baskets. For millions of baskets feed a BasketStore instead. */
export function mineRules(baskets: Iterable<Iterable<string>>, options: MiningOptions): Rule[] {
  const store = new BasketStore();
  for (const basket of baskets) store.add(basket);
  return store.mine(options).rules;
}

export type PairRuleOptions = {
  /** Absolute minimum number of baskets holding both items. */
  minCount: number;
  minConfidence: number;
  minLift?: number;
};

/**
 * Streaming, exact item-to-item rules ({a} => {b}): keeps only item and pair counts, never the baskets,
 * so memory grows with the number of distinct co-occurring pairs rather than with the baskets.
 */
export class PairCounter {
  private readonly vocabulary = new Vocabulary();
  private itemCounts = new Int32Array(1024);
  private readonly pairs = new PairCounts();
  private baskets = 0;
  private scratch = new Int32Array(64);

  add(basket: Iterable<string>): void {
    const [scratch, n] = encodeBasket(basket, this.vocabulary, this.scratch);
    this.scratch = scratch;
    this.itemCounts = growInt32(this.itemCounts, this.vocabulary.size);
    for (let i = 0; i < n; i++) {
      this.itemCounts[scratch[i]]++;
      for (let j = i + 1; j < n; j++) this.pairs.add(scratch[i], scratch[j]);
    }
    this.baskets++;
  }

  get basketCount(): number {
    return this.baskets;
  }

  get itemCount(): number {
    return this.vocabulary.size;
  }

  get pairCount(): number {
    return this.pairs.size;
  }

  rules(options: PairRuleOptions): Rule[] {
    const rules: Rule[] = [];
    const consider = (anchor: number, suggest: number, count: number) => {
      const rule = pairRule(this.vocabulary.labels, anchor, suggest, count, [this.itemCounts[anchor], this.itemCounts[suggest], this.baskets], options);
      if (rule) rules.push(rule);
    };
    this.pairs.forEach((a, b, count) => {
      if (count < options.minCount) return;
      consider(a, b, count);
      consider(b, a, count);
    });
    return rules;
  }
}

/**
 * "Went on to buy": ordered pairs (a, b) where a customer bought b after an order that held a (within
 * a window, b new to them then). Counted per step, one step per order followed by another, so the
 * measures read as for co-occurrence with steps for baskets: support = steps a → b / steps,
 * confidence = steps a → b / steps from an order with a, lift = confidence / (share of steps bringing b).
 */
export class NextPairCounter {
  private readonly vocabulary = new Vocabulary();
  private fromCounts = new Int32Array(1024);
  private toCounts = new Int32Array(1024);
  private readonly pairs = new PairCounts();
  private steps = 0;
  private scratch = new Int32Array(64);
  private scratchNext = new Int32Array(64);

  /** One step: an order's styles, then the styles the customer went on to buy that they had never bought. */
  add(before: Iterable<string>, next: Iterable<string>): void {
    const [scratch, n] = encodeBasket(before, this.vocabulary, this.scratch);
    this.scratch = scratch;
    const [scratchNext, m] = encodeBasket(next, this.vocabulary, this.scratchNext);
    this.scratchNext = scratchNext;
    this.fromCounts = growInt32(this.fromCounts, this.vocabulary.size);
    this.toCounts = growInt32(this.toCounts, this.vocabulary.size);
    for (let i = 0; i < n; i++) this.fromCounts[scratch[i]]++;
    for (let j = 0; j < m; j++) this.toCounts[scratchNext[j]]++;
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) if (scratch[i] !== scratchNext[j]) this.pairs.add(scratch[i], scratchNext[j]);
    this.steps++;
  }

  get stepCount(): number {
    return this.steps;
  }

  get pairCount(): number {
    return this.pairs.size;
  }

  rules(options: PairRuleOptions): Rule[] {
    const rules: Rule[] = [];
    this.pairs.forEach((a, b, count) => {
      if (count < options.minCount) return;
      const rule = pairRule(this.vocabulary.labels, a, b, count, [this.fromCounts[a], this.toCounts[b], this.steps], options);
      if (rule) rules.push(rule);
    });
    return rules;
  }
}

/** The rule {anchor} => {suggest} from its count and [baskets with the anchor, baskets with the suggestion, all baskets], if it passes. */
function pairRule(
  labels: string[],
  anchor: number,
  suggest: number,
  count: number,
  [anchorCount, suggestCount, n]: number[],
  options: PairRuleOptions,
): Rule | null {
  const confidence = count / anchorCount;
  if (confidence < options.minConfidence - CONFIDENCE_EPSILON) return null;
  const lift = (confidence * n) / suggestCount;
  if (lift < (options.minLift ?? 0)) return null;
  return { lhs: [labels[anchor]], rhs: labels[suggest], support: count / n, confidence, lift, count };
}

/** Orders rules for recommendation: lift, then confidence, then support, then shorter LHS and labels for a stable result. */
export function compareRules(a: Rule, b: Rule): number {
  return (
    b.lift - a.lift ||
    b.confidence - a.confidence ||
    b.support - a.support ||
    a.lhs.length - b.lhs.length ||
    compareLabelLists(a.lhs, b.lhs) ||
    compareLabels(a.rhs, b.rhs)
  );
}

function compareLabelLists(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) {
    const order = compareLabels(a[i], b[i]);
    if (order !== 0) return order;
  }
  return 0;
}

/** Item-to-item rules (one LHS item) grouped by that anchor item, best k first per anchor (by `compare`, lift first by default). */
export function topKPerItem(rules: Iterable<Rule>, k: number, compare: (a: Rule, b: Rule) => number = compareRules): Map<string, Rule[]> {
  const byAnchor = new Map<string, Rule[]>();
  for (const rule of rules) {
    if (rule.lhs.length !== 1) continue;
    const list = byAnchor.get(rule.lhs[0]);
    if (list) list.push(rule);
    else byAnchor.set(rule.lhs[0], [rule]);
  }
  for (const [anchor, list] of byAnchor) byAnchor.set(anchor, list.sort(compare).slice(0, k));
  return byAnchor;
}
