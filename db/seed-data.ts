/** The menu every fresh local database starts with: categories and about twenty items. */
export const SEED_CATEGORIES = [
  { slug: "appetizers", title: "Appetizers" },
  { slug: "mains", title: "Mains" },
  { slug: "desserts", title: "Desserts" },
  { slug: "drinks", title: "Drinks" },
] as const;

export const SEED_MENU: {
  title: string;
  price: string;
  category: string;
  featured?: boolean;
  description: string;
}[] = [
  {
    title: "Bruschetta",
    price: "7.50",
    category: "appetizers",
    description: "Grilled bread, garlic, tomato, olive oil.",
  },
  {
    title: "Greek Salad",
    price: "12.99",
    category: "appetizers",
    featured: true,
    description: "Crispy lettuce, peppers, olives, feta.",
  },
  {
    title: "Hummus Plate",
    price: "8.25",
    category: "appetizers",
    description: "Chickpeas, tahini, warm pita.",
  },
  { title: "Fried Calamari", price: "10.00", category: "appetizers", description: "Lemon and aioli." },
  {
    title: "Stuffed Grape Leaves",
    price: "6.75",
    category: "appetizers",
    description: "Rice, herbs, lemon.",
  },
  {
    title: "Lemon Chicken",
    price: "18.50",
    category: "mains",
    description: "Roast chicken, lemon, oregano, potatoes.",
  },
  {
    title: "Grilled Fish",
    price: "22.00",
    category: "mains",
    description: "Catch of the day, capers, greens.",
  },
  { title: "Lamb Kofta", price: "19.75", category: "mains", description: "Spiced lamb, yogurt, flatbread." },
  { title: "Moussaka", price: "17.25", category: "mains", description: "Aubergine, lamb, béchamel." },
  {
    title: "Pasta Primavera",
    price: "15.50",
    category: "mains",
    description: "Spring vegetables, parmesan.",
  },
  { title: "Spanakopita", price: "14.00", category: "mains", description: "Spinach and feta in filo." },
  { title: "Lemon Dessert", price: "5.00", category: "desserts", description: "Grandma's lemon cake." },
  { title: "Baklava", price: "6.50", category: "desserts", description: "Walnuts, honey, filo." },
  { title: "Tiramisu", price: "7.25", category: "desserts", description: "Mascarpone, espresso, cocoa." },
  { title: "Greek Yogurt", price: "4.75", category: "desserts", description: "Honey and walnuts." },
  { title: "Sparkling Water", price: "2.50", category: "drinks", description: "500 ml." },
  { title: "Lemonade", price: "3.75", category: "drinks", description: "Fresh lemons, mint." },
  { title: "Espresso", price: "2.80", category: "drinks", description: "Double shot." },
  { title: "House Red", price: "8.00", category: "drinks", description: "By the glass." },
  { title: "Iced Tea", price: "3.25", category: "drinks", description: "Black tea, lemon." },
];
