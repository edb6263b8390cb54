/**
 * The planted customer segments of the sample shop: which categories each
 * segment prefers, how it rates, and how it writes. Sentences are templates:
 * `{item}` is the reviewed product's name in lower case, `{brand}` its brand,
 * any other `{slot}` is filled from the segment's (or the shared) slot lists.
 *
 * `topical` sentences talk about the segment's domain and are used on products
 * from its preferred categories; `persona` sentences say who the writer is and
 * fit any product, so off-segment purchases still carry a trace of the voice.
 */

export interface SegmentProfile {
  /** Stable label written to ground_truth.csv. */
  readonly id: string;
  /** Readable description of who these customers are. */
  readonly name: string;
  /** Preferred categories, primary first. */
  readonly categories: readonly [string, string];
  /** Relative weights of star ratings 1..5. */
  readonly ratingWeights: readonly [number, number, number, number, number];
  readonly topicalPositive: readonly string[];
  readonly topicalNegative: readonly string[];
  readonly persona: readonly string[];
  readonly slots: Readonly<Record<string, readonly string[]>>;
}

export const SEGMENT_PROFILES: readonly SegmentProfile[] = [
  {
    id: 'budget-parents',
    name: 'budget-conscious parents',
    categories: ['Baby & Kids', 'Home & Kitchen'],
    ratingWeights: [3, 4, 12, 42, 39],
    topicalPositive: [
      'As a parent on a tight budget, I was happy to find the {item} for {price}.',
      'My {kid} {kidLoves} it, and it cost far less than the name-brand version.',
      'It wiped clean easily after {mess}, which matters in a house with small children.',
      'Great value for a busy family; I would buy the {item} again for {relative}.',
      'Bought it on sale before back-to-school season and it has survived {abuse}.',
      'I compared prices at three stores and this was the cheapest option that still felt safe for the kids.',
      'The {item} survived {abuse} without a scratch, so it was money well spent.',
      'Bedtime and bath time are a little calmer since we started using it.',
      'For the price, it is perfectly fine for a growing family, and the kids use it every day.',
      'We stocked up during the sale because my {kid} goes through these so quickly.',
    ],
    topicalNegative: [
      'It broke after a month of {abuse}, so it was not the bargain I hoped for.',
      'Not worth the money for a family; my {kid} lost interest within a week.',
      'Cheap plastic that cracked the first time my {kid} dropped it.',
      'The straps were fiddly and I could not adjust them with a squirming {kid} on my hip.',
    ],
    persona: [
      'With {kidsCount} kids at home, I need things that survive daily chaos, and the {item} mostly did.',
      'I bought it while juggling school runs, laundry and a tight family budget.',
      'As a parent, I look at value first, and this was reasonably priced.',
      'I grabbed it with a coupon during a weekend of birthday parties and soccer practice.',
    ],
    slots: {
      price: ['half the price of the big brands', 'under twenty dollars', 'a real bargain', 'less than we expected to pay'],
      kid: ['toddler', 'three-year-old', 'daughter', 'son', 'preschooler', 'baby'],
      kidLoves: ['absolutely loves', 'will not put down', 'asks for', 'plays with'],
      mess: ['spilled juice', 'a messy toddler dinner', 'muddy boots', 'a crayon masterpiece'],
      relative: ['our next baby', "my sister's kids", "the grandparents' house", 'daycare'],
      abuse: ['being thrown down the stairs', 'daily drops from the high chair', 'two very rough toddlers', 'a year in the minivan'],
      kidsCount: ['two', 'three', 'four'],
    },
  },
  {
    id: 'audiophiles',
    name: 'audiophiles',
    categories: ['Headphones & Audio', 'Electronics Accessories'],
    ratingWeights: [9, 14, 24, 31, 22],
    topicalPositive: [
      'The soundstage is wide and the imaging is precise, even on {genre} recordings.',
      'I ran it through my {source} and the {band} response is remarkably flat.',
      'Detail retrieval is excellent; I could hear {detail} that I had missed before.',
      'After about fifty hours of burn-in the {band} tightened up nicely.',
      'Paired with a decent DAC, it resolves {format} files beautifully.',
      'Tonal balance is neutral with a touch of warmth in the mids, exactly how I like my {genre}.',
      'Channel matching was within spec, and there is no audible hiss at high gain.',
      'Instrument separation on {genre} tracks is the best I have heard at this price.',
      'Switching from my old {source} to this made {genre} sound airy and spacious.',
    ],
    topicalNegative: [
      'The treble is sibilant and fatiguing on {genre} tracks.',
      'Bass bleeds into the mids, which muddies the soundstage.',
      'Measured distortion was higher than advertised once I pushed the volume.',
      'Compressed, lifeless sound; not for anyone who listens critically to {format} music.',
      'There is a faint hum through my {source} that no cable swap could fix.',
    ],
    persona: [
      'As someone who spends evenings listening to {genre} on vinyl, I notice build quality in everything.',
      'I bought the {item} with the money I saved by skipping yet another headphone upgrade.',
      'My listening room is quiet enough that I noticed a faint whine from the {item}.',
      'I am the kind of listener who reads frequency graphs before buying anything.',
    ],
    slots: {
      genre: ['jazz', 'classical', 'acoustic', 'orchestral', 'well-mastered rock', 'chamber music'],
      source: ['tube amplifier', 'desktop DAC', 'balanced amp', 'reference system'],
      band: ['low end', 'midrange', 'sub-bass', 'upper treble'],
      detail: ['the cellist breathing', 'the room reverb', 'fret noise', 'subtle cymbal decay'],
      format: ['FLAC', '24-bit', 'lossless', 'high-resolution'],
    },
  },
  {
    id: 'outdoor-athletes',
    name: 'outdoor athletes',
    categories: ['Sports & Fitness', 'Camping & Hiking'],
    ratingWeights: [4, 6, 14, 40, 36],
    topicalPositive: [
      'Took the {item} on a {distance} {activity} and it performed flawlessly.',
      'It held up through {weather} on my last {activity}.',
      'Lightweight enough that I barely noticed it on the {terrain}.',
      'Good grip and breathable, which matters when you are training {schedule}.',
      'It survived {weather}, {terrain} and plenty of sweat.',
      'My {metric} improved once I stopped fighting my gear.',
      'It packs down small and fits easily in my trail pack for a {distance} {activity}.',
      'I logged over three hundred miles of {activity} training with it and it still feels solid.',
    ],
    topicalNegative: [
      'The seams started to fray after a few weeks of {activity} training.',
      'Too heavy for a serious {activity}; fine for a casual walk at best.',
      'It soaked through in {weather} within an hour.',
      'It gave me blisters on the {terrain} halfway through a {distance} {activity}.',
    ],
    persona: [
      'I bought the {item} between training blocks for my next {activity}.',
      'As a trail runner, I care about durability far more than looks.',
      'I spend most weekends on the {terrain}, so anything I own gets tested hard.',
      'Coming back from a {distance} {activity}, I want gear that just works.',
    ],
    slots: {
      activity: ['trail run', 'ultramarathon', 'mountain hike', 'century ride', 'triathlon', 'backcountry trek'],
      distance: ['10-mile', 'half-marathon', '20-kilometer', 'multi-day'],
      weather: ['pouring rain', 'freezing wind', 'brutal summer heat', 'a muddy spring storm'],
      terrain: ['rocky switchbacks', 'steep climbs', 'loose gravel', 'alpine ridges'],
      schedule: ['six days a week', 'twice a day', 'through a marathon block'],
      metric: ['mile split', 'pace', 'recovery time', 'climbing speed'],
    },
  },
  {
    id: 'beauty-enthusiasts',
    name: 'beauty enthusiasts',
    categories: ['Beauty & Personal Care', 'Home & Kitchen'],
    ratingWeights: [4, 4, 8, 30, 54],
    topicalPositive: [
      'My {skin} skin drank this up, and it layered nicely under my {makeup}.',
      'The texture is {texture} and it absorbs without leaving a greasy film.',
      'I added it to my {routine} routine and my complexion looks {glow}.',
      'The scent is {scent}, not overpowering at all.',
      'It blends beautifully and the shade matched my undertone perfectly.',
      'Gentle ingredients, and no breakouts after {weeks} weeks of daily use.',
      'Absolutely obsessed; the {item} earned a permanent spot on my vanity.',
      'A little goes a long way, and my {concern} looks visibly better.',
    ],
    topicalNegative: [
      'It pilled under my {makeup} and left dry patches.',
      'The fragrance irritated my {skin} skin within a day.',
      'Way too sticky, and it did nothing for my {concern}.',
      'The shade oxidized to orange by lunchtime, so it went straight back.',
    ],
    persona: [
      'I treated myself to the {item} after my monthly skincare haul.',
      'As a skincare junkie, I notice packaging and design, and this one is pretty enough for my vanity.',
      'I filmed a quick get-ready-with-me video and the {item} made a cameo.',
      'After a long day, my self-care evening is sacred, and this fit right in.',
    ],
    slots: {
      skin: ['sensitive', 'oily', 'combination', 'dry', 'acne-prone'],
      makeup: ['foundation', 'tinted moisturizer', 'sunscreen', 'concealer'],
      texture: ['silky', 'lightweight and creamy', 'like a whipped gel', 'velvety'],
      routine: ['nighttime skincare', 'morning', 'ten-step', 'weekly self-care'],
      glow: ['dewy', 'radiant', 'plump and glowing', 'brighter'],
      scent: ['a soft vanilla', 'a light floral', 'fresh citrus', 'barely there'],
      weeks: ['two', 'three', 'four', 'six'],
      concern: ['dark spots', 'fine lines', 'redness', 'frizz'],
    },
  },
  {
    id: 'tech-early-adopters',
    name: 'tech early adopters',
    categories: ['Smart Home', 'Electronics Accessories'],
    ratingWeights: [7, 10, 18, 36, 29],
    topicalPositive: [
      'Pre-ordered the {item} the day it launched, and setup took {setup}.',
      'It paired with my {ecosystem} hub instantly, and the firmware update added {feature}.',
      'The companion app is slick, and {feature} works better than on the previous generation.',
      'It integrates with my existing automations; I already have {count} routines using it.',
      'Latency over {protocol} is noticeably lower than on last year\'s model.',
      'Being an early adopter has its risks, but this one delivered on the spec sheet.',
      'The beta firmware unlocked {feature}, which no competitor offers yet.',
    ],
    topicalNegative: [
      'The launch firmware is buggy and it drops off my {protocol} network every few days.',
      'The app still lacks {feature}, which was promised on the spec sheet.',
      'It feels like a beta product; I expected more from a first-generation device.',
      'It refused to join my {ecosystem} setup until I factory reset it twice.',
    ],
    persona: [
      'As an early adopter, I always buy the newest version of everything, including the {item}.',
      'I wish the {item} had an app or some {feature}; everything else in my house does.',
      'I track every gadget I own in a spreadsheet, and this one got a decent score.',
      'I read every teardown and launch review before ordering, as usual.',
    ],
    slots: {
      ecosystem: ['Matter', 'Zigbee', 'Home Assistant', 'smart-home'],
      setup: ['under two minutes', 'less than five minutes', 'a single QR code scan'],
      feature: ['local control', 'voice assistant support', 'energy monitoring', 'over-the-air updates', 'USB-C fast charging'],
      protocol: ['Wi-Fi 6', 'Bluetooth 5.3', 'Thread', 'Zigbee'],
      count: ['three', 'five', 'a dozen'],
    },
  },
  {
    id: 'home-cooks',
    name: 'home cooks',
    categories: ['Grocery & Gourmet Food', 'Home & Kitchen'],
    ratingWeights: [3, 5, 14, 42, 36],
    topicalPositive: [
      'I used the {item} in {dish} last night and the flavor was {flavor}.',
      'It has become a staple in my pantry next to the {staple}.',
      'A splash of it finishes a {dish} beautifully.',
      'The aroma when I opened it was {flavor}, like something from a specialty shop.',
      'My family asked for seconds of the {dish} I made with it.',
      'I cook from scratch most nights, and this made weeknight {dish} feel special.',
    ],
    topicalNegative: [
      'The flavor was flat and {dish} tasted the same without it.',
      'It arrived stale, and the aroma was gone before I could cook with it.',
      'Too salty for anything delicate like a {dish}.',
    ],
    persona: [
      'I bought the {item} while stocking up for a weekend of batch cooking.',
      'As someone who cooks from scratch every night, I am picky about everything in my kitchen.',
      'I keep a recipe journal, and this purchase earned a note in it.',
    ],
    slots: {
      dish: ['a roasted vegetable tray', 'homemade pasta', 'a slow-cooked stew', 'Sunday roast chicken', 'a simple salad'],
      flavor: ['rich and peppery', 'bright and fruity', 'deep and smoky', 'wonderfully fragrant'],
      staple: ['good olive oil', 'sea salt', 'fresh garlic', 'my spice rack'],
    },
  },
  {
    id: 'pet-owners',
    name: 'devoted pet owners',
    categories: ['Pet Supplies', 'Garden & Outdoor'],
    ratingWeights: [4, 5, 11, 38, 42],
    topicalPositive: [
      'My {pet} {petLoves} the {item} from day one.',
      'Our {pet} is a picky eater, and this was a hit right away.',
      'It survived a {pet} who destroys everything within an hour.',
      'Cleanup is easy and the {pet} hair does not stick to it.',
      'The vet approved of it, and my {pet} seems calmer on walks now.',
      'We have a senior {pet} with stiff joints, and this made mornings easier for him.',
    ],
    topicalNegative: [
      'My {pet} chewed through it in one afternoon.',
      'Our {pet} refused to go near it, even with treats.',
      'It gave my {pet} an upset stomach, so we stopped after a week.',
    ],
    persona: [
      'Everything in our house is chosen with the {pet} in mind, including the {item}.',
      'I bought it after our morning walk, with the {pet} supervising.',
      'As a rescue volunteer with three animals, I go through supplies fast.',
    ],
    slots: {
      pet: ['dog', 'cat', 'golden retriever', 'rescue puppy', 'tabby', 'beagle'],
      petLoves: ['fell in love with', 'will not leave', 'goes crazy for', 'curls up next to'],
    },
  },
  {
    id: 'gamers',
    name: 'competitive gamers',
    categories: ['Video Games', 'Electronics Accessories'],
    ratingWeights: [8, 10, 18, 34, 30],
    topicalPositive: [
      'Input lag is basically zero, which matters in ranked {game} matches.',
      'I played a six-hour {game} session and my hands never cramped.',
      'The {part} feel crisp and responsive during {game} tournaments.',
      'My aim in {game} improved after switching to the {item}.',
      'The RGB software is clean and the profiles sync across my {platform}.',
      'Battery lasted through an entire weekend {game} marathon.',
    ],
    topicalNegative: [
      'The {part} started double-clicking after two months of {game}.',
      'Noticeable latency over wireless cost me a few {game} rounds.',
      'The software is bloated and crashes whenever {game} is running.',
    ],
    persona: [
      'I bought the {item} between ranked seasons, when I finally had time to shop.',
      'As someone who streams {game} every night, my desk setup has to look good on camera.',
      'My whole {platform} setup is tuned for competitive play, so I am picky.',
    ],
    slots: {
      game: ['shooter', 'battle royale', 'MOBA', 'fighting game', 'racing sim'],
      part: ['switches', 'triggers', 'buttons', 'thumbsticks'],
      platform: ['PC', 'console', 'streaming PC', 'gaming laptop'],
    },
  },
];

/** Sentences any customer might write, by the sentiment they fit. */
export interface GenericSentences {
  readonly positive: readonly string[];
  readonly neutral: readonly string[];
  readonly negative: readonly string[];
}

/**
 * Sentences any customer might write. `{item}` and `{brand}` refer to the
 * product; these carry no segment signal and dilute the planted one.
 */
export const GENERIC_SENTENCES: GenericSentences = {
  positive: [
    'Arrived on time and well packaged.',
    'Shipping was fast.',
    'Exactly as described.',
    'Would recommend.',
    'Five stars from me.',
    'It does what it says.',
    'Good quality for the price.',
    'Easy to set up right out of the box.',
    'No complaints so far.',
    'The box said "easy assembly" and, for once, it was true.',
    'I ordered the {item} from {brand} and it arrived a day early.',
    'This is my second {brand} purchase and I am happy again.',
    'Happy with the {item} overall.',
  ],
  neutral: [
    'It is okay, nothing special.',
    'It does the job.',
    'The instructions could be clearer.',
    'It took a few days longer to arrive than expected.',
    'The {item} worked fine, but the packaging was wasteful.',
    'Not sure yet, I will update this review after a few more weeks.',
    'Color is slightly different from the photos.',
  ],
  negative: [
    'Returned it.',
    'It arrived damaged and the box was crushed.',
    'Customer service never replied to my emails.',
    'Not as pictured.',
    'It stopped working after two weeks.',
    'I expected more from {brand}.',
    'The {item} felt cheaper than the price suggests.',
  ],
};

export const MAX_SEGMENTS = SEGMENT_PROFILES.length;
