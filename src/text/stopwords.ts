/**
 * Stop words: function words and review boilerplate that say nothing about
 * who wrote a review. English and Chinese lists are full (they decide the
 * segment terms of graphprof's own sample shops); the shorter lists of the
 * other common Latin-script shop languages hold their most frequent function
 * words, enough to keep them out of segment terms and to tell those languages
 * from English (route.ts). Words are lower-case, as words() returns them.
 */

/** English: the list the English-only splitter used (so English terms stay as they were). */
const EN =
  'a about above after again against all also am an and any are as at be because been before being below between both but by can could did do does doing down during each few for from further had has have having he her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out over own same she should so some such than that the their theirs them themselves then there these they this those through to too under until up very was we were what when where which while who whom why will with would you your yours yourself yourselves ' +
  "im ive dont didnt doesnt cant wont isnt thats its it's i'm i've don't didn't doesn't can't won't isn't that's one get got also would really much even well still use used using make made bit lot thing things way go going";

/** Chinese (simplified and traditional forms of the common ones): particles, pronouns, conjunctions, adverbs of degree, review boilerplate. */
const ZH =
  '的 了 是 在 我 有 和 就 不 人 都 一 也 很 到 说 要 去 你 会 着 看 好 这 那 他 她 它 们 吗 呢 吧 啊 哦 嗯 么 还 又 再 从 被 把 给 让 对 而 但 与 及 或 之 其 以 于 为 所 等 个 些 下 上 来 过 得 地 着 呀 嘛 啦 哈 ' +
  '我的 你的 他的 她的 它的 我们的 你们的 他们的 自己的 来说 起来 出来 下来 上去 一次 一边 第一 之间 依然 仍然 很快 ' +
  '一个 一些 一下 一点 一直 一样 一定 一般 一起 这个 那个 这些 那些 这样 那样 这么 那么 这里 那里 这种 那种 这次 我们 你们 他们 她们 它们 咱们 自己 大家 什么 怎么 怎样 为什么 哪里 哪个 多少 ' +
  '没有 不是 就是 还是 但是 可是 而且 并且 因为 所以 如果 虽然 然后 而是 或者 还有 以及 以后 之后 之前 时候 现在 已经 曾经 正在 马上 终于 其实 确实 当然 应该 可能 可以 能够 需要 觉得 感觉 认为 知道 ' +
  '非常 比较 特别 真的 真是 有点 有些 十分 相当 挺 太 更 最 越 很多 许多 所有 每个 各种 东西 事情 方面 问题 情况 ' +
  '收到 购买 买了 下单 卖家 商家 店家 客服 物流 快递 发货 包装 好评 差评 评价 满意 推荐 宝贝 商品 产品 质量 价格 性价比 值得 不错 还行 还可以 一般般 总的来说 总之 ' +
  '這 這個 那個 們 個 說 會 對 從 讓 還 沒有 時候 現在 覺得 感覺 應該 東西 問題 買了 賣家 質量 價格';

/** German. */
const DE =
  'der die das den dem des ein eine einer eines einem einen und oder aber doch sondern denn weil dass ob wenn als wie auch noch schon nur sehr mehr viel viele ganz gar nicht kein keine keinen ' +
  'ich du er sie es wir ihr mich mir dich dir uns euch sich mein meine dein sein seine ihre unser ist sind war waren bin bist hat habe haben hatte wird werden wurde kann können muss soll will ' +
  'mit von zu zum zur bei nach aus auf für über unter vor hinter neben zwischen durch gegen ohne um an im am ins vom beim dann da hier dort jetzt immer wieder also etwas alles man';
/** French. */
const FR =
  'le la les un une des du de d l et ou mais donc or ni car que qui quoi dont où ce cet cette ces mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs ' +
  'je tu il elle on nous vous ils elles me te se moi toi lui eux est sont était étaient suis es sommes êtes ai as avons avez ont avait être avoir fait faire ' +
  'ne pas plus très trop bien aussi encore déjà toujours jamais rien tout tous toute toutes avec sans pour par sur sous dans en entre chez vers comme si alors y';
/** Spanish. */
const ES =
  'el la los las un una unos unas lo al del de y o u pero sino que quien cual cuyo donde cuando como porque pues si ni ' +
  'yo tú él ella usted nosotros vosotros ellos ellas ustedes me te se nos os le les mi mis tu tus su sus nuestro nuestra es son era eran fue fueron soy eres somos está están estaba ' +
  'he ha han había hay ser estar tener tiene tienen hace muy más menos mucho mucha muchos poco también tampoco ya todavía siempre nunca nada todo todos toda todas con sin para por sobre entre hasta desde en esto eso este esta estos estas';
/** Italian. */
const IT =
  'il lo la i gli le un uno una di a da in con su per tra fra del della dei delle al alla ai alle dal dalla nel nella sul sulla e o ma però perché che chi cui dove quando come se ' +
  'io tu lui lei noi voi loro mi ti si ci vi mio mia miei mie tuo tua suo sua nostro è sono era erano sei siamo siete ho hai ha abbiamo avete hanno essere avere fatto ' +
  'non più molto molta molti poco anche ancora già sempre mai niente tutto tutti tutta questo questa questi quello quella';
/** Portuguese. */
const PT =
  'o a os as um uma uns umas de do da dos das em no na nos nas ao aos à às por pelo pela para com sem sobre entre e ou mas porém que quem qual onde quando como porque se nem ' +
  'eu tu ele ela você nós vós eles elas vocês me te se nos lhe lhes meu minha meus minhas seu sua seus suas é são era eram foi foram sou somos está estão estava tem têm tinha há ser estar ter ' +
  'não mais menos muito muita muitos pouco também já ainda sempre nunca nada tudo todos toda todas isso isto esse essa este esta aquele aquela';
/** Dutch. */
const NL =
  'de het een en of maar want dus dat die dit deze wie wat waar wanneer hoe omdat als dan ook nog al wel niet geen heel erg zeer veel meer ' +
  'ik jij je hij zij ze wij we jullie mij me mijn jouw zijn haar ons onze hun is ben bent was waren heb hebt heeft hebben had hadden wordt worden werd kan kunnen moet zal zou ' +
  'met van voor naar bij uit op aan in over onder door tegen zonder om tot er hier daar nu altijd weer iets alles men';

const toSet = (list: string): Set<string> => new Set(list.split(/\s+/).filter((w) => w !== ''));

export const STOP_WORDS = {
  en: toSet(EN),
  zh: toSet(ZH),
  de: toSet(DE),
  fr: toSet(FR),
  es: toSet(ES),
  it: toSet(IT),
  pt: toSet(PT),
  nl: toSet(NL),
} as const;

export type StopWordLanguage = keyof typeof STOP_WORDS;

/** Bit of each language in stopWordBits(). */
export const STOP_WORD_BIT = new Map<string, number>(Object.keys(STOP_WORDS).map((l, i) => [l, 1 << i]));

/**
 * Per word, the bits (STOP_WORD_BIT) of the languages whose stop words hold
 * it. One Map lookup answers what took a Set lookup per language: the
 * language guess (language.ts) asked all seven Latin-script lists for every
 * word of every review, half the time of segment terms at a million reviews.
 */
const languagesOfWord = new Map<string, number>();
for (const [l, words] of Object.entries(STOP_WORDS)) {
  const bit = STOP_WORD_BIT.get(l)!;
  for (const w of words) languagesOfWord.set(w, (languagesOfWord.get(w) ?? 0) | bit);
}

/** The languages (bits of STOP_WORD_BIT) that have `word` as a stop word; 0 for none. */
export function stopWordBits(word: string): number {
  return languagesOfWord.get(word) ?? 0;
}

const EN_OR_ZH = STOP_WORD_BIT.get('en')! | STOP_WORD_BIT.get('zh')!;

/**
 * True when `word` (lower-case) is an English or Chinese stop word, or one of
 * `language` (the review's language, see language.ts). Only the review's own
 * language counts besides en and zh: "car", "son" and "door" are stop words
 * in French, Spanish and Dutch but content words in English.
 */
export function isStopWord(word: string, language?: string): boolean {
  const bits = stopWordBits(word);
  return (bits & (EN_OR_ZH | (language === undefined ? 0 : (STOP_WORD_BIT.get(language) ?? 0)))) !== 0;
}
