/**
 * The product side of the sample shop's vocabulary: readable category names,
 * invented brand names and item names per category. Brands are made up so the
 * sample never names a real company's products.
 */

export interface CategoryDef {
  readonly name: string;
  readonly brands: readonly string[];
  readonly items: readonly string[];
}

export const CATEGORIES: readonly CategoryDef[] = [
  {
    name: 'Baby & Kids',
    brands: ['Little Sprout', 'Bumblebee', 'Cozy Nest', 'Tiny Steps'],
    items: [
      'Convertible Car Seat', 'Lightweight Stroller', 'Silicone Bib Set', 'Toddler Sippy Cup',
      'Baby Monitor', 'Wooden Building Blocks', 'Kids Backpack', 'Diaper Caddy', 'Foam Play Mat',
      'Bath Toy Set',
    ],
  },
  {
    name: 'Home & Kitchen',
    brands: ['Hearthstone', 'Maple & Moss', 'Cedar Lane', 'Brightleaf'],
    items: [
      'Scented Candle', 'Aroma Diffuser', 'Bath Towel Set', 'Storage Bins', 'Nonstick Frying Pan',
      'Countertop Blender', 'Food Storage Containers', 'Laundry Hamper', 'Lighted Vanity Mirror',
      'Throw Blanket',
    ],
  },
  {
    name: 'Headphones & Audio',
    brands: ['Auralis', 'Velvet Groove', 'Quartzline', 'Resonant'],
    items: [
      'Open-Back Headphones', 'In-Ear Monitors', 'Bookshelf Speakers', 'Belt-Drive Turntable',
      'Headphone Amplifier', 'Studio Monitor Headphones', 'Noise-Cancelling Earbuds', 'Soundbar',
      'Phono Preamp',
    ],
  },
  {
    name: 'Electronics Accessories',
    brands: ['Voltix', 'Ampere & Co', 'Linkwell', 'Northwind'],
    items: [
      'Portable DAC', 'USB-C Charging Cable', 'Power Bank', 'Wireless Charger', 'HDMI Cable',
      'Bluetooth Adapter', 'Surge Protector', 'Aluminum Laptop Stand', 'Braided Audio Cable',
    ],
  },
  {
    name: 'Sports & Fitness',
    brands: ['Stridewell', 'Kestrel', 'Peakform', 'Acme'],
    items: [
      'Trail Running Shoes', 'Compression Leggings', 'GPS Sports Watch', 'Foam Roller',
      'Resistance Bands', 'Cycling Jersey', 'Hydration Vest', 'Merino Running Socks',
    ],
  },
  {
    name: 'Camping & Hiking',
    brands: ['Summit Ridge', 'Trailhead', 'Alpenglow', 'Wildpine'],
    items: [
      'Ultralight Tent', 'Down Sleeping Bag', 'Trekking Poles', 'Rechargeable Headlamp',
      'Water Filter', 'Hiking Backpack', 'Camp Stove', 'Rain Shell Jacket',
    ],
  },
  {
    name: 'Beauty & Personal Care',
    brands: ['Lumiere Skin', 'Petal & Pearl', 'Glowlab', 'Velour'],
    items: [
      'Vitamin C Serum', 'Hydrating Moisturizer', 'Mineral Sunscreen', 'Liquid Foundation',
      'Clay Face Mask', 'Argan Hair Oil', 'Lip Tint', 'Makeup Brush Set', 'Micellar Cleanser',
    ],
  },
  {
    name: 'Smart Home',
    brands: ['Nestora', 'Brightnode', 'Homewise', 'Zentry'],
    items: [
      'Smart Plug', 'Video Doorbell', 'Smart Thermostat', 'Smart Light Bulbs', 'Robot Vacuum',
      'Smart Lock', 'Mesh Wi-Fi Router', 'Smart Display', 'Motion Sensor',
    ],
  },
  {
    name: 'Grocery & Gourmet Food',
    brands: ['Olive Grove', 'Salt & Ember', 'Roastery Row', 'Harvest Table'],
    items: [
      'Extra Virgin Olive Oil', 'Smoked Paprika', 'Single-Origin Coffee Beans',
      'Aged Balsamic Vinegar', 'Sourdough Starter Kit', 'Flaky Sea Salt', 'Loose Leaf Green Tea',
      'Hot Sauce Sampler',
    ],
  },
  {
    name: 'Pet Supplies',
    brands: ['Happy Paws', 'Whisker Co', 'Barkley', 'Furwell'],
    items: [
      'Grain-Free Dog Food', 'Cat Scratching Post', 'No-Pull Dog Harness', 'Chew Toy Set',
      'Self-Cleaning Litter Box', 'Pet Hair Brush', 'Orthopedic Dog Bed', 'Automatic Pet Feeder',
    ],
  },
  {
    name: 'Garden & Outdoor',
    brands: ['Greenthumb', 'Fernhill', 'Bloomfield'],
    items: [
      'Raised Garden Bed', 'Hose Nozzle', 'Bird Feeder', 'Pruning Shears', 'Patio String Lights',
      'Compost Bin', 'Seed Starter Kit',
    ],
  },
  {
    name: 'Video Games',
    brands: ['Pixelforge', 'Critical Hit', 'Arcadia', 'Lootbox Labs'],
    items: [
      'Wireless Controller', 'Gaming Headset', 'Mechanical Keyboard', 'Gaming Mouse',
      'Racing Wheel', 'Capture Card', 'Controller Charging Dock',
    ],
  },
];

/** Variant suffixes that make repeated brand + item pairs readable ("... Pro", "... 2"). */
export const MODEL_SUFFIXES: readonly string[] = ['Pro', 'Lite', 'Max', 'Plus', 'Mini', 'Go'];

export function categoryByName(name: string, categories: readonly CategoryDef[] = CATEGORIES): CategoryDef {
  const found = categories.find((c) => c.name === name);
  if (!found) throw new RangeError(`categoryByName: unknown category ${JSON.stringify(name)}`);
  return found;
}
